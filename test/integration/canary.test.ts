/**
 * The readiness canary against its golden: the first canary under a fingerprint becomes the golden,
 * later ones match it, a changed golden is drift (reported, and not ready with CANARY_STRICT), and
 * a farm process checks it at start. A busy pool stays ready but busy, goldens or not.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { FarmError } from '../../errors/farm-error.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { CanaryGoldens } from '../../ops/canary-goldens.js';
import { ReadinessProbe, type Readiness } from '../../ops/readiness-probe.js';
import { startFarmProcess } from '../helpers/farm-process.js';
import { readEnvelope, startTestServer } from '../helpers/http.js';
import { request, startTestRenderer } from '../helpers/renderer.js';

/** Paints a 10 × 10 block of the PNG at `path` black: drift of exactly 100 pixels or fewer. */
function tamper(path: string): void {
  const png = PNG.sync.read(readFileSync(path));
  for (let y = 20; y < 30; y += 1) for (let x = 20; x < 30; x += 1) png.data.set([0, 0, 0, 255], (y * png.width + x) * 4);
  writeFileSync(path, PNG.sync.write(png));
}

function memoryLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const log = (level: string) => (fields: object, message: string) => void lines.push({ level, fields: fields as Record<string, unknown>, message });
  return { lines, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } };
}

describe('canary goldens', () => {
  let renderer: ChartRenderer;
  before(async () => {
    renderer = await startTestRenderer();
  });
  after(() => renderer?.close());

  it('keeps the first canary under a fingerprint as its golden, then matches it', async () => {
    const goldens = new CanaryGoldens(join(mkdtempSync(join(tmpdir(), 'canary-')), 'nested'));
    const { lines, logger } = memoryLogger();
    const probe = new ReadinessProbe(renderer, { goldens, cacheMs: 0, logger });
    const first = await probe.check();
    assert.equal(first.canary?.status, 'new-golden');
    assert.equal(first.canary?.golden, join(goldens.dir, `${renderer.fingerprint.hash}.png`));
    assert.ok(existsSync(first.canary!.golden));
    const second = await probe.check();
    assert.deepEqual(second.canary, { status: 'match', golden: first.canary!.golden, differingPixels: 0, share: 0 });
    assert.deepEqual(lines.map((line) => line.message), [`first canary under fingerprint ${renderer.fingerprint.hash}: kept as its golden`, 'the canary matches its golden']);
  });

  it('reports drift from a changed golden and stays ready; with strict it is not ready until the golden is right', async () => {
    const goldens = new CanaryGoldens(mkdtempSync(join(tmpdir(), 'canary-')));
    await new ReadinessProbe(renderer, { goldens }).check();
    const golden = goldens.pathOf(renderer.fingerprint.hash);
    const original = readFileSync(golden);
    tamper(golden);

    const { lines, logger } = memoryLogger();
    const lenient = await new ReadinessProbe(renderer, { goldens, logger }).check();
    assert.equal(lenient.ready, true);
    assert.equal(lenient.canary?.status, 'drift');
    assert.ok(lenient.canary!.differingPixels! > 0 && lenient.canary!.differingPixels! <= 100, `${lenient.canary!.differingPixels} pixels`);
    assert.equal(lines[0]?.level, 'error');
    assert.match(lines[0]!.message, /drifted from its golden/);

    const strict = new ReadinessProbe(renderer, { goldens, strict: true, cacheMs: 0 });
    await assert.rejects(strict.check(), (error: unknown) => {
      assert.ok(error instanceof FarmError);
      assert.equal(error.reason, 'NOT_READY');
      assert.equal(error.status, 503);
      assert.deepEqual(error.details.cause, { reason: 'CANARY_DRIFT' });
      assert.match(error.message, /\d+ pixels \([\d.]+%\) differ \(CANARY_STRICT\)/);
      return true;
    });
    writeFileSync(golden, original);
    assert.equal((await strict.check()).canary?.status, 'match', 'ready again once the canary matches');
  });

  it('answers the comparison on GET /readyz, and 503 under CANARY_STRICT', async () => {
    const canaryDir = mkdtempSync(join(tmpdir(), 'canary-'));
    const server = await startTestServer(renderer, { canaryDir, canaryStrict: true });
    try {
      const ready = await readEnvelope<Readiness>(await fetch(`${server.url}/readyz`));
      assert.equal(ready.data?.canary?.status, 'new-golden');
      tamper(join(canaryDir, `${renderer.fingerprint.hash}.png`));
      // The success above is kept for 5 s: a fresh app asks again.
      const again = await startTestServer(renderer, { canaryDir, canaryStrict: true });
      const drift = await fetch(`${again.url}/readyz`);
      assert.equal(drift.status, 503);
      const envelope = await readEnvelope(drift);
      assert.equal(envelope.error?.reason, 'NOT_READY');
      assert.equal((envelope.error?.details.canary as { status: string }).status, 'drift');
      await again.close();
    } finally {
      await server.close();
    }
  });

  it('keeps a busy pool ready but busy, goldens or not', async () => {
    const busy = await startTestRenderer({ finishedWaitMs: 600 });
    try {
      const slow = { xAxis: {}, yAxis: {}, series: [{ type: 'effectScatter', data: [[1, 2]] }] };
      const work = Array.from({ length: 6 }, () => busy.render(request({ option: slow })));
      const goldens = new CanaryGoldens(mkdtempSync(join(tmpdir(), 'canary-')));
      const readiness = await new ReadinessProbe(busy, { goldens, strict: true, deadlineMs: 1_500 }).check();
      assert.equal(readiness.ready, true);
      assert.equal(readiness.busy, true);
      await Promise.all(work);
    } finally {
      await busy.close();
    }
  });
});

describe('canary at start', () => {
  it('keeps the first canary of a farm process as the golden, and reports drift at the next start', async () => {
    const canaryDir = mkdtempSync(join(tmpdir(), 'canary-'));
    const env = { CANARY_DIR: canaryDir, LOCAL_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'canary-store-')) };
    const first = await startFarmProcess('serve', env);
    try {
      assert.ok(first.logs.some((entry) => entry.room === 'canary' && entry.status === 'new-golden'), 'the start canary was logged');
    } finally {
      await first.stop();
    }
    const [golden] = readdirSync(canaryDir);
    assert.match(golden!, /^[0-9a-f]{16}\.png$/);
    tamper(join(canaryDir, golden!));

    const second = await startFarmProcess('serve', { ...env, CANARY_STRICT: 'true' });
    try {
      const drift = second.logs.find((entry) => entry.room === 'canary' && entry.status === 'drift');
      assert.ok(drift, 'drift was logged at start');
      assert.equal(drift.level, 50, 'as an error');
      assert.equal((await fetch(`${second.url}/readyz`)).status, 503);
    } finally {
      await second.stop();
    }
  });
});
