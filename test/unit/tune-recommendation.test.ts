/** `tune`'s choice from hand-made rows: the most renders/s among the rows within the budget. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envLines, recommend, type TuneRow } from '../../measure/tune-recommendation.js';

const MIB = 1024 * 1024;

function row(browsers: number, pagesPerBrowser: number, concurrency: number, figures: Partial<TuneRow>): TuneRow {
  return {
    shape: { browsers, pagesPerBrowser },
    concurrency,
    renders: 100,
    errors: 0,
    rendersPerSecond: 5,
    p50Ms: 200,
    p95Ms: 400,
    p99Ms: 500,
    cpuSecondsPerRender: 0.2,
    peakMemoryBytes: 800 * MIB,
    steadyMemoryBytes: 700 * MIB,
    ...figures,
  };
}

const ROWS: TuneRow[] = [
  row(1, 1, 1, { rendersPerSecond: 6, p95Ms: 300, peakMemoryBytes: 600 * MIB }),
  row(2, 1, 2, { rendersPerSecond: 9, p95Ms: 450, peakMemoryBytes: 1_000 * MIB }),
  row(2, 1, 4, { rendersPerSecond: 10, p95Ms: 900, peakMemoryBytes: 1_050 * MIB }),
  row(3, 1, 3, { rendersPerSecond: 11, p95Ms: 480, peakMemoryBytes: 1_400 * MIB }),
  row(2, 2, 4, { rendersPerSecond: 12, p95Ms: 500, peakMemoryBytes: 1_300 * MIB, errors: 2 }),
];

describe('tune recommendation', () => {
  it('takes the most renders/s when no budget is given, but never a row with failed renders', () => {
    const recommendation = recommend(ROWS, { goal: 'throughput' });
    assert.equal(recommendation.chosen, 3);
    assert.deepEqual(recommendation.misses[4], ['2 failed renders']);
    assert.deepEqual(recommendation.settings, { POOL_BROWSERS: 3, POOL_PAGES_PER_BROWSER: 1, POOL_RENDERS_PER_BROWSER: 1, QUEUE_MAX_CONCURRENT: 3 });
  });

  it('recommends POOL_RENDERS_PER_BROWSER below the pages for a shape whose browsers render on fewer pages than they have', () => {
    const capped: TuneRow = { ...row(2, 2, 2, { rendersPerSecond: 13, p95Ms: 350 }), shape: { browsers: 2, pagesPerBrowser: 2, rendersPerBrowser: 1 } };
    const recommendation = recommend([...ROWS, capped], { goal: 'throughput' });
    assert.equal(recommendation.chosen, ROWS.length);
    assert.deepEqual(recommendation.settings, { POOL_BROWSERS: 2, POOL_PAGES_PER_BROWSER: 2, POOL_RENDERS_PER_BROWSER: 1, QUEUE_MAX_CONCURRENT: 2 });
    assert.match(recommendation.reason, /^pool 2×2\/1 at concurrency 2/);
  });

  it('leaves out the rows over the p95 budget and says why', () => {
    const recommendation = recommend(ROWS, { goal: 'throughput', maxP95Ms: 460 });
    assert.equal(recommendation.chosen, 1);
    assert.deepEqual(recommendation.misses[2], ['p95 900 ms > 460 ms']);
    assert.deepEqual(recommendation.misses[3], ['p95 480 ms > 460 ms']);
    assert.match(recommendation.reason, /pool 2×1 at concurrency 2 rendered the most among the 2 of 5 measured/);
    assert.deepEqual(envLines(recommendation.settings!), ['POOL_BROWSERS=2', 'POOL_PAGES_PER_BROWSER=1', 'POOL_RENDERS_PER_BROWSER=1', 'QUEUE_MAX_CONCURRENT=2']);
  });

  it('holds both budgets at once', () => {
    const recommendation = recommend(ROWS, { goal: 'throughput', maxP95Ms: 1_000, maxMemoryMiB: 1_020 });
    assert.equal(recommendation.chosen, 1);
    assert.deepEqual(recommendation.misses[2], ['peak 1050 MiB > 1020 MiB']);
  });

  it('answers no settings, and says so, when no row meets the budget', () => {
    const recommendation = recommend(ROWS, { goal: 'throughput', maxP95Ms: 100 });
    assert.equal(recommendation.chosen, undefined);
    assert.equal(recommendation.settings, undefined);
    assert.match(recommendation.reason, /no pool shape met the budget \(p95 ≤ 100 ms\)/);
    assert.ok(recommendation.misses.every((misses) => misses.length > 0));
  });

  it('prefers fewer pages when two rows render as fast', () => {
    const tied = [row(2, 2, 4, { rendersPerSecond: 8 }), row(2, 1, 2, { rendersPerSecond: 8 })];
    assert.equal(recommend(tied, { goal: 'throughput' }).chosen, 1);
  });

  it('never takes a row without renders', () => {
    const recommendation = recommend([row(1, 1, 1, { renders: 0, rendersPerSecond: 0, p95Ms: Number.NaN })], { goal: 'throughput' });
    assert.equal(recommendation.chosen, undefined);
    assert.deepEqual(recommendation.misses[0], ['no render finished']);
  });
});
