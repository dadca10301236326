/**
 * `echarts-farm tune` on a small budget, as an operator runs it: its recommendation must be the
 * fastest row of its own table among the rows within the budget, and its report must be there.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TuneResult } from '../../measure/tune-run.js';
import { rendersCap } from '../../measure/pool-shape-target.js';
import { runFarm } from '../helpers/cli.js';
import { decodePng } from '../helpers/pixels.js';

const dir = mkdtempSync(join(tmpdir(), 'farm-tune-'));
const SMALL_RUN = ['--concurrency', 'pages', '--workload', 'light', '--slice-seconds', '1'];

describe('echarts-farm tune', () => {
  it('recommends the fastest row within the budget, and writes the report with its chart', () => {
    const out = join(dir, 'report');
    const run = runFarm(['tune', ...SMALL_RUN, '--shapes', '1x1,2x1', '--seconds', '6', '--max-p95-ms', '60000', '--out', out], { timeoutMs: 60_000 });
    assert.equal(run.status, 0, run.stderr);

    const result = JSON.parse(readFileSync(join(out, 'tune.json'), 'utf8')) as TuneResult;
    assert.equal(result.rows.length, 2);
    const withinBudget = result.rows.filter((_, index) => result.recommendation.misses[index]!.length === 0);
    const fastest = withinBudget.reduce((best, row) => (row.rendersPerSecond > best.rendersPerSecond ? row : best));
    const chosen = result.rows[result.recommendation.chosen!]!;
    assert.equal(chosen, fastest);
    assert.deepEqual(result.recommendation.settings, {
      POOL_BROWSERS: chosen.shape.browsers,
      POOL_PAGES_PER_BROWSER: chosen.shape.pagesPerBrowser,
      POOL_RENDERS_PER_BROWSER: rendersCap(chosen.shape) ?? chosen.shape.pagesPerBrowser,
      QUEUE_MAX_CONCURRENT: chosen.concurrency,
    });
    assert.ok(result.rows.every((row) => row.renders > 0 && row.peakMemoryBytes > 0 && row.cpuSecondsPerRender > 0));

    // stdout: the table marks the same row, and the env lines say the same settings.
    const bestLine = run.stdout.split('\n').find((line) => /^\d×\d\s+best\s/.test(line));
    assert.ok(bestLine?.startsWith(`${chosen.shape.browsers}×${chosen.shape.pagesPerBrowser} `), run.stdout);
    assert.match(run.stdout, new RegExp(`^POOL_BROWSERS=${chosen.shape.browsers}\nPOOL_PAGES_PER_BROWSER=${chosen.shape.pagesPerBrowser}\nPOOL_RENDERS_PER_BROWSER=${rendersCap(chosen.shape) ?? chosen.shape.pagesPerBrowser}\nQUEUE_MAX_CONCURRENT=${chosen.concurrency}$`, 'm'));

    assert.ok(existsSync(join(out, 'tune.md')));
    assert.match(readFileSync(join(out, 'tune.md'), 'utf8'), /!\[Throughput and p95 latency by pool shape\]\(tune\.png\)/);
    const chart = decodePng(readFileSync(join(out, 'tune.png')));
    assert.deepEqual([chart.width, chart.height], [960, 540]);
    let coloured = 0;
    for (let offset = 0; offset < chart.data.length; offset += 4) {
      if (chart.data[offset] !== 255 || chart.data[offset + 1] !== 255 || chart.data[offset + 2] !== 255) coloured += 1;
    }
    // Bars, lines, axes and text: far more than a blank or nearly blank image.
    assert.ok(coloured > chart.width * chart.height * 0.05, `only ${coloured} pixels are not white`);
  });

  it('says clearly and exits 3 when no shape meets the budget', () => {
    const out = join(dir, 'impossible');
    const run = runFarm(['tune', ...SMALL_RUN, '--shapes', '1x1', '--seconds', '1', '--max-p95-ms', '0.001', '--out', out], { timeoutMs: 40_000 });
    assert.equal(run.status, 3, run.stderr);
    assert.match(run.stdout, /No recommendation: no pool shape met the budget \(p95 ≤ 0\.001 ms\)/);
    assert.match(run.stderr, /loosen --max-p95-ms or --max-memory-mib/);
    assert.doesNotMatch(run.stdout, /POOL_BROWSERS=/);
  });
});
