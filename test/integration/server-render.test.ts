/**
 * The HTTP API's happy paths against a real renderer: synchronous renders in every format, base64
 * mode, the legacy export, render headers, health, readiness and system routes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { ReadinessProbe } from '../../ops/readiness-probe.js';
import { decodePng } from '../helpers/pixels.js';
import { expectProblem, postJson, readEnvelope, startHttpTestRenderer, startTestServer, type TestServer } from '../helpers/http.js';

const LINE_OPTION = {
  xAxis: { type: 'category', data: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] },
  yAxis: { type: 'value' },
  series: [{ type: 'line', data: [150, 230, 224, 218, 135, 147, 260] }],
};

const MAGIC: Record<string, { contentType: string; matches: (bytes: Buffer) => boolean }> = {
  png: { contentType: 'image/png', matches: (b) => b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')) },
  jpeg: { contentType: 'image/jpeg', matches: (b) => b.subarray(0, 3).equals(Buffer.from('ffd8ff', 'hex')) },
  webp: { contentType: 'image/webp', matches: (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP' },
  svg: { contentType: 'image/svg+xml', matches: (b) => b.toString('utf8', 0, 200).trimStart().startsWith('<svg') },
  pdf: { contentType: 'application/pdf', matches: (b) => b.toString('latin1', 0, 5) === '%PDF-' },
};

function distinctColours(png: Buffer): number {
  const { data } = decodePng(png);
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += 4) colours.add(data.readUInt32BE(i));
  return colours.size;
}

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

let renderer: ChartRenderer;
let server: TestServer;

before(async () => {
  renderer = await startHttpTestRenderer();
  server = await startTestServer(renderer);
});

after(async () => {
  await server?.close();
  await renderer?.close();
});

describe('POST /api/charts/generate?async=false', () => {
  test('answers a PNG of the requested size that holds a chart', async () => {
    const response = await postJson(`${server.url}/api/charts/generate?async=false`, { option: LINE_OPTION, width: 320, height: 180 });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/png');
    const bytes = await bytesOf(response);
    assert.equal(Number(response.headers.get('content-length')), bytes.length);
    const png = decodePng(bytes);
    assert.deepEqual({ width: png.width, height: png.height }, { width: 320, height: 180 });
    assert.ok(distinctColours(bytes) > 10, 'a chart, not a blank image');
  });

  test('renders at the device pixel ratio', async () => {
    const response = await postJson(`${server.url}/api/charts/generate?async=false`, {
      option: LINE_OPTION,
      width: 150,
      height: 100,
      devicePixelRatio: 2,
    });
    const png = decodePng(await bytesOf(response));
    assert.deepEqual({ width: png.width, height: png.height }, { width: 300, height: 200 });
  });

  for (const [type, { contentType, matches }] of Object.entries(MAGIC)) {
    test(`type ${type} answers ${contentType} with its magic bytes`, async () => {
      const response = await postJson(`${server.url}/api/charts/generate`, { type, option: LINE_OPTION, width: 240, height: 160, async: false });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type')?.split(';')[0], contentType);
      assert.ok(matches(await bytesOf(response)), `${type} magic bytes`);
    });
  }

  test('carries X-Render-Fingerprint and a Server-Timing entry for every render step', async () => {
    const response = await postJson(`${server.url}/api/charts/generate?async=false`, { option: LINE_OPTION, width: 200, height: 120 });
    await response.arrayBuffer();
    assert.equal(response.headers.get('x-render-fingerprint'), renderer.fingerprint.hash);
    const timing = response.headers.get('server-timing') ?? '';
    const names = timing.split(',').map((entry) => entry.trim().split(';')[0]);
    assert.deepEqual(names, ['acquire', 'viewport', 'setOption', 'settle', 'capture', 'total']);
    assert.match(timing, /total;dur=\d+(\.\d)?$/);
  });

  test('base64=true answers a data URL, the fingerprint and the steps in the envelope', async () => {
    const response = await postJson(`${server.url}/api/charts/generate?async=false&base64=true`, { option: LINE_OPTION, width: 200, height: 120 });
    const envelope = await readEnvelope<{ image: string; fingerprint: string; steps: Record<string, number> }>(response);
    assert.equal(response.status, 200);
    assert.equal(envelope.code, 200);
    assert.equal(envelope.data?.fingerprint, renderer.fingerprint.hash);
    assert.ok((envelope.data?.steps.totalMs ?? 0) > 0);
    const [prefix, base64] = (envelope.data?.image ?? '').split(',');
    assert.equal(prefix, 'data:image/png;base64');
    const png = decodePng(Buffer.from(base64 ?? '', 'base64'));
    assert.deepEqual({ width: png.width, height: png.height }, { width: 200, height: 120 });
  });

  test('base64 may also be asked for in the body', async () => {
    const response = await postJson(`${server.url}/api/charts/generate`, { option: LINE_OPTION, type: 'svg', async: false, base64: true });
    const envelope = await readEnvelope<{ image: string }>(response);
    assert.match(envelope.data?.image ?? '', /^data:image\/svg\+xml;base64,/);
  });

  test('echoes a usable X-Request-Id and replaces one that is not', async () => {
    const kept = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'probe-42' } });
    assert.equal(kept.headers.get('x-request-id'), 'probe-42');
    const replaced = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });
});

describe('asynchronous mode', () => {
  test('answers 501 NOT_IMPLEMENTED and points to async=false', async () => {
    const response = await postJson(`${server.url}/api/charts/generate`, { option: LINE_OPTION });
    const envelope = await expectProblem(response, { status: 501, type: 'SYSTEM_ERROR', reason: 'NOT_IMPLEMENTED' });
    assert.match(envelope.msg, /async=false/);
  });
});

describe('POST / (legacy export)', () => {
  test('answers the image bytes like generate with async=false', async () => {
    const response = await postJson(`${server.url}/`, { type: 'jpeg', width: 300, height: 200, option: LINE_OPTION });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/jpeg');
    assert.ok(MAGIC.jpeg!.matches(await bytesOf(response)));
    assert.ok(response.headers.get('server-timing'));
  });
});

describe('health and system routes', () => {
  test('GET /healthz answers ok without rendering', async () => {
    const renders = renderer.stats().renders;
    const response = await fetch(`${server.url}/healthz`);
    assert.deepEqual(await readEnvelope(response), { code: 200, msg: 'ok', data: { status: 'ok' } });
    assert.equal(renderer.stats().renders, renders);
  });

  test('GET /readyz renders the canary once and keeps the success for the next probes', async () => {
    const before = renderer.stats().renders;
    const probes = await Promise.all([1, 2, 3].map(() => fetch(`${server.url}/readyz`).then((r) => readEnvelope<Record<string, unknown>>(r))));
    const again = await readEnvelope<Record<string, unknown>>(await fetch(`${server.url}/readyz`));
    for (const envelope of [...probes, again]) {
      assert.equal(envelope.code, 200);
      assert.equal(envelope.data?.ready, true);
      assert.equal(envelope.data?.fingerprint, renderer.fingerprint.hash);
      assert.equal(typeof envelope.data?.renderMs, 'number');
    }
    assert.equal(renderer.stats().renders - before, 1, 'one canary for four probes');
  });

  test('the readiness probe renders a new canary once its cached success is older than cacheMs', async () => {
    let clock = 0;
    const probe = new ReadinessProbe(renderer, { cacheMs: 5_000, now: () => clock });
    const before = renderer.stats().renders;
    await probe.check();
    clock = 4_999;
    await probe.check();
    assert.equal(renderer.stats().renders - before, 1, 'still cached');
    clock = 5_000;
    await probe.check();
    assert.equal(renderer.stats().renders - before, 2, 'expired');
  });

  test('GET /api/system/info names the farm, its version, Node and the whole fingerprint', async () => {
    const envelope = await readEnvelope<Record<string, unknown>>(await fetch(`${server.url}/api/system/info`));
    assert.equal(envelope.data?.name, 'echarts-farm');
    assert.match(String(envelope.data?.version), /^\d+\.\d+\.\d+/);
    assert.equal(envelope.data?.node, process.version);
    assert.deepEqual(envelope.data?.fingerprint, JSON.parse(JSON.stringify(renderer.fingerprint)));
    assert.equal((envelope.data?.pool as { pages: number }).pages, 2);
  });

  test('GET /api/system/pool answers the pool stats', async () => {
    const envelope = await readEnvelope<Record<string, unknown>>(await fetch(`${server.url}/api/system/pool`));
    assert.deepEqual(Object.keys(envelope.data ?? {}).sort(), Object.keys(renderer.stats()).sort());
    assert.equal(envelope.data?.browsers, 1);
  });
});
