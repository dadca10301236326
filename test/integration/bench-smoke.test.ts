/**
 * `npm run bench -- --smoke` keeps working: the whole suite for a few seconds per section, into a
 * temporary folder (never bench/results). Every contender must render with zero errors and draw the
 * limit's pixels; the figures themselves mean nothing at this length and are not checked.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { packageRoot } from '../../renderer/package-root.js';
import type { SuiteRecord } from '../../bench/suite-record-shape.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';

const run = promisify(execFile);
const CONTENDERS = ['limit', 'farm', 'farm-http', 'farm-async-memory', 'farm-async-redis', 'naive', 'cluster-page', 'cluster-browser'];

describe('bench suite --smoke', { timeout: 150_000 }, () => {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('writes its record, RESULTS.md and charts to --out, and every contender renders the limit\'s pixels without errors', async () => {
    const resultsBefore = readdirSync(join(packageRoot(), 'bench', 'results')).sort();
    await run(process.execPath, ['--import', 'tsx', 'bench/suite.ts', '--smoke', '--out', outDir], {
      cwd: packageRoot(),
      env: { ...process.env, REDIS_URL: TEST_REDIS_URL },
      timeout: 140_000,
      maxBuffer: 16 * 1024 * 1024,
    });

    const files = readdirSync(outDir);
    assert.ok(files.includes('RESULTS.md'), `RESULTS.md in ${files.join(', ')}`);
    assert.ok(files.includes('suite-throughput.png') && files.includes('suite-p95.png'), `the charts in ${files.join(', ')}`);
    const jsonName = files.find((file) => /^suite-\d{4}-\d{2}-\d{2}\.json$/.test(file));
    assert.ok(jsonName, `a suite record in ${files.join(', ')}`);
    assert.deepEqual(readdirSync(join(packageRoot(), 'bench', 'results')).sort(), resultsBefore, 'bench/results is left alone');
    assert.equal(existsSync(join(outDir, 'results')), false);

    const record = JSON.parse(readFileSync(join(outDir, jsonName), 'utf8')) as SuiteRecord;
    assert.equal(record.benchmark, 'suite');
    assert.equal(record.settings.plan.mode, 'smoke');
    for (const id of CONTENDERS) {
      const cells = record.sections.main.cells.filter((cell) => cell.targetId === id);
      assert.ok(cells.length > 0, `${id} was measured`);
      for (const cell of cells) {
        assert.ok(cell.renders > 0, `${id} at ${cell.concurrency} rendered`);
        assert.equal(cell.errors, 0, `${id} at ${cell.concurrency}: ${cell.firstErrors.join('; ')}`);
      }
    }
    for (const summary of record.pixelCheck.byTarget) {
      assert.equal(summary.identical, summary.charts, `${summary.targetId}: ${JSON.stringify(summary.differing)} ${summary.problems.join('; ')}`);
    }
    assert.deepEqual(record.pixelCheck.byTarget.map((summary) => summary.targetId).sort(), CONTENDERS.filter((id) => id !== 'limit').sort());
    for (const section of Object.values(record.sections)) {
      for (const cell of section.cells) assert.equal(cell.errors, 0, `${cell.targetId}: ${cell.firstErrors.join('; ')}`);
      assert.deepEqual(Object.values(section.warmupErrors).flat(), []);
    }
    const zeroErrors = record.targets.find((target) => target.goal.startsWith('zero errors'));
    assert.equal(zeroErrors?.met, true, zeroErrors?.figure);
    assert.match(readFileSync(join(outDir, 'RESULTS.md'), 'utf8'), /## Targets/);
  });
});
