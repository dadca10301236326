/**
 * Every example of examples/ runs against a started `echarts-farm serve` as a user would run it:
 * the curl script with bash, the TypeScript ones through the package's `echarts-farm/client` export
 * (the client is built first, as `npm run build` does), the Python one when python3 has `requests`.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { packageRoot } from '../../renderer/package-root.js';
import { startFarmProcess, type FarmProcess } from '../helpers/farm-process.js';
import { decodePng } from '../helpers/pixels.js';

const run = promisify(execFile);
const root = packageRoot();
const VISUAL_TEST = join('examples', 'visual-regression', 'sales-chart.test.ts');

let farm: FarmProcess;

/** Whether `command args` runs and exits 0. */
function available(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs an example with FARM_URL and OUT_DIR set; resolves with its output, rejects with it on a non-zero exit. */
async function runExample(command: string, args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; outDir: string }> {
  const outDir = mkdtempSync(join(tmpdir(), 'farm-example-'));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, FARM_URL: farm.url, OUT_DIR: outDir, ...env };
  // A nested `node --test` would report to this runner instead of printing its own results.
  delete childEnv.NODE_TEST_CONTEXT;
  const { stdout } = await run(command, args, { cwd: root, env: childEnv, timeout: 60_000 });
  return { stdout, outDir };
}

const runVisualTest = (env: Record<string, string>) => runExample(process.execPath, ['--import', 'tsx', '--test', VISUAL_TEST], env);

before(async () => {
  farm = await startFarmProcess('serve', { LOCAL_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'farm-examples-')) });
  // `echarts-farm/client` resolves through package.json "exports" to dist/client: build it as `npm run build` does.
  await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'client', 'tsconfig.farm.json')], { cwd: root });
});

after(() => farm?.stop('SIGKILL'));

describe('examples/', () => {
  it('curl: renders synchronously, follows a task through its events, fetches its image', { skip: !available('curl', ['--version']) && 'no curl' }, async () => {
    const { stdout, outDir } = await runExample('bash', [join('examples', 'curl', 'render.sh')]);
    assert.match(stdout, /is completed/);
    for (const file of ['chart-sync.png', 'chart-task.png']) assert.equal(decodePng(readFileSync(join(outDir, file))).width, 600);
  });

  it('TypeScript: the client example renders, waits, and handles a refusal', async () => {
    const { stdout, outDir } = await runExample(process.execPath, ['--import', 'tsx', join('examples', 'typescript', 'render-and-wait.ts')]);
    assert.equal(decodePng(readFileSync(join(outDir, 'chart-sync.png'))).width, 600);
    assert.match(readFileSync(join(outDir, 'chart-task.svg'), 'utf8'), /^<svg/);
    assert.match(stdout, /refused as expected: 400 INVALID_REQUEST/);
  });

  const python = available('python3', ['-c', 'import requests']);
  it('Python: the requests example renders, polls a task and reads a refusal', { skip: !python && 'python3 with requests is absent' }, async () => {
    const { stdout, outDir } = await runExample('python3', [join('examples', 'python', 'render_chart.py')]);
    for (const file of ['chart-sync.png', 'chart-task.png']) assert.equal(decodePng(readFileSync(join(outDir, file))).width, 600);
    assert.match(stdout, /refused as expected: INVALID_REQUEST/);
  });

  it('visual regression: passes against the golden it approved, fails with a diff when one pixel changes', async () => {
    const goldenDir = mkdtempSync(join(tmpdir(), 'farm-golden-'));
    await runVisualTest({ GOLDEN_DIR: goldenDir, UPDATE_GOLDEN: '1' });
    await runVisualTest({ GOLDEN_DIR: goldenDir });
    const goldenPath = join(goldenDir, 'sales-chart.png');
    const golden = PNG.sync.read(readFileSync(goldenPath));
    golden.data[0] = 255 - golden.data[0]!;
    writeFileSync(goldenPath, PNG.sync.write(golden));
    const failed = await runVisualTest({ GOLDEN_DIR: goldenDir }).then(
      () => assert.fail('the example passed against an altered golden'),
      (error: { code?: number; stdout?: string }) => error,
    );
    assert.notEqual(failed.code, 0);
    assert.match(failed.stdout ?? '', /1 of \d+ pixels differ from the golden/);
    assert.match(failed.stdout ?? '', /the chart itself changed/);
    assert.ok(existsSync(join(goldenDir, 'sales-chart.diff.png')));
  });

  it('visual regression: the committed golden matches under its render fingerprint', async (t) => {
    const info = (await (await fetch(`${farm.url}/api/system/info`)).json()) as { data: { fingerprint: { hash: string } } };
    const recorded = readFileSync(join(root, 'examples', 'visual-regression', 'golden', 'sales-chart.fingerprint'), 'utf8').trim();
    if (recorded !== info.data.fingerprint.hash) {
      // Another Chromium, ECharts, font set or page template: the golden is not comparable here.
      t.skip(`golden made under fingerprint ${recorded}, this farm is ${info.data.fingerprint.hash}; re-approve with UPDATE_GOLDEN=1`);
      return;
    }
    await runVisualTest({});
  });
});
