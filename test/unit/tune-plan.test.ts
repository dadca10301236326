/** What `tune` tries by default, and how its flags are read. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTuneArguments } from '../../cli/tune-command.js';
import { describeShape } from '../../measure/pool-shape-target.js';
import { concurrenciesOf, defaultShapes, parseConcurrencyLevel, parsePoolShape } from '../../measure/tune-plan.js';

describe('tune plan', () => {
  it('tries 1×1, 1×2, 2×1, 3×1, 2×2 and 2×2/1 on 2 cores, by pages', () => {
    assert.deepEqual(defaultShapes(2).map(describeShape), ['1×1', '1×2', '2×1', '3×1', '2×2', '2×2/1']);
  });

  it('keeps at most two pages per core on larger hosts', () => {
    const shapes = defaultShapes(8);
    assert.ok(shapes.every((shape) => shape.browsers * shape.pagesPerBrowser <= 16));
    assert.deepEqual(shapes.map(describeShape), ['1×1', '1×2', '4×1', '4×2', '8×1', '9×1', '8×2', '8×2/1']);
  });

  it('reads concurrency as numbers or multiples of the pages, without repeats', () => {
    const levels = ['pages', '2xpages', '4'].map((text) => parseConcurrencyLevel(text)!);
    assert.deepEqual(concurrenciesOf({ browsers: 2, pagesPerBrowser: 1 }, levels), [2, 4]);
    assert.deepEqual(concurrenciesOf({ browsers: 1, pagesPerBrowser: 1 }, levels), [1, 2, 4]);
    assert.deepEqual(concurrenciesOf({ browsers: 2, pagesPerBrowser: 2, rendersPerBrowser: 1 }, levels), [2, 4], 'pages that wait for their browser do not count');
    assert.equal(parseConcurrencyLevel('0'), undefined);
    assert.equal(parseConcurrencyLevel('lots'), undefined);
  });

  it('reads shapes as browsers x pages', () => {
    assert.deepEqual(parsePoolShape('3x2'), { browsers: 3, pagesPerBrowser: 2 });
    assert.deepEqual(parsePoolShape('2×1'), { browsers: 2, pagesPerBrowser: 1 });
    assert.deepEqual(parsePoolShape('2x2/1'), { browsers: 2, pagesPerBrowser: 2, rendersPerBrowser: 1 });
    assert.equal(parsePoolShape('2x2/3'), undefined, 'more renders at once than pages');
    assert.equal(parsePoolShape('0x1'), undefined);
    assert.equal(parsePoolShape('2'), undefined);
  });

  it('turns bad flags into usage errors that name the flag', () => {
    const cases: [string[], RegExp][] = [
      [['--shapes', '2y1'], /--shapes takes browsers x pages per browser/],
      [['--concurrency', 'many'], /--concurrency takes whole numbers or pages, 2xpages/],
      [['--goal', 'latency'], /--goal takes throughput/],
      [['--max-p95-ms', '0'], /--max-p95-ms takes a number above 0/],
      [['--seconds', 'soon'], /--seconds takes a number/],
      [['--workload', 'huge'], /--workload takes full or light/],
    ];
    for (const [args, message] of cases) {
      assert.throws(() => parseTuneArguments(args, 2), (error: Error & { type?: string }) => message.test(error.message) && error.type === 'VALIDATION_ERROR', args.join(' '));
    }
  });

  it('sizes the default run from the cores', () => {
    const { settings } = parseTuneArguments([], 2);
    assert.equal(settings.shapes.length, 6);
    assert.deepEqual(settings.levels.map((level) => level.label), ['pages', '2xpages']);
    assert.equal(settings.measureSeconds, 180);
    assert.deepEqual(settings.goal, { goal: 'throughput', maxP95Ms: undefined, maxMemoryMiB: undefined });
  });
});
