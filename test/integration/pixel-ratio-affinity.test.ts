/**
 * A page renders only at the pixel ratio it was loaded with, and another ratio reloads it. With two
 * ratios in turn, each page should settle on one ratio instead of reloading for every render; and
 * with POOL_RENDERS_PER_BROWSER, a browser's extra pages wait for other ratios instead of rendering
 * alongside.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { differingPixels } from '../helpers/pixels.js';
import { BAR_OPTION, request, startTestRenderer } from '../helpers/renderer.js';

let renderer: ChartRenderer;

before(async () => {
  renderer = await startTestRenderer({ pagesPerBrowser: 2 });
});

after(async () => {
  await renderer?.close();
});

const chartAt = (devicePixelRatio: 1 | 2) => request({ option: BAR_OPTION, width: 300, height: 200, devicePixelRatio });

describe('pages and pixel ratios', () => {
  it('keeps a page per ratio when ratios come in any order: one reload in twelve renders', async () => {
    const images: Record<1 | 2, Buffer[]> = { 1: [], 2: [] };
    // Irregular on purpose: strict alternation would line up with the pool's round robin by chance.
    for (const ratio of [1, 1, 2, 1, 2, 2, 2, 1, 1, 2, 1, 1] as const) {
      const result = await renderer.render(chartAt(ratio));
      assert.equal(PNG.sync.read(result.bytes).width, 300 * ratio);
      images[ratio].push(result.bytes);
    }
    // Both pages start at ratio 1: the first render at 2 reloads one of them, and no other render does.
    assert.equal(renderer.stats().ratioReloads, 1);
    for (const ratio of [1, 2] as const) {
      for (const image of images[ratio]) assert.equal(differingPixels(images[ratio][0]!, image), 0, `every image at ratio ${ratio} is the same`);
    }
  });

  it('renders mixed ratios at once through both pages, and gives back every page it looked at', async () => {
    const before = renderer.stats().renders;
    const results = await Promise.all(Array.from({ length: 8 }, (_, index) => renderer.render(chartAt(index % 3 === 0 ? 2 : 1))));
    assert.deepEqual(results.map((result) => result.pixelWidth), Array.from({ length: 8 }, (_, index) => (index % 3 === 0 ? 600 : 300)));
    const stats = renderer.stats();
    assert.equal(stats.renders - before, 8);
    assert.deepEqual([stats.busy, stats.idle, stats.waiting], [0, 2, 0]);
  });
});

describe('renders per browser', () => {
  /** An effect that never finishes: each render waits out finishedWaitMs, long enough to watch. */
  const SLOW = { xAxis: {}, yAxis: {}, series: [{ type: 'effectScatter', data: [[1, 2]] }] };

  it('runs one render per browser at a time with rendersPerBrowser 1, on both browsers, ratios kept', async () => {
    const limited = await startTestRenderer({ browsers: 2, pagesPerBrowser: 2, rendersPerBrowser: 1, finishedWaitMs: 400 });
    try {
      const seen = { busy: 0, waiting: 0 };
      const watch = setInterval(() => {
        const stats = limited.stats();
        seen.busy = Math.max(seen.busy, stats.busy);
        seen.waiting = Math.max(seen.waiting, stats.waiting);
      }, 5);
      const ratios = [1, 2, 1, 2, 2, 1] as const;
      const results = await Promise.all(ratios.map((devicePixelRatio) => limited.render(request({ option: SLOW, width: 200, height: 150, devicePixelRatio }))));
      clearInterval(watch);
      assert.equal(seen.busy, 2, 'two renders at once: one per browser, never two in one');
      assert.ok(seen.waiting >= 1, 'the rest waited although pages were idle');
      assert.deepEqual(results.map((result) => result.pixelWidth), ratios.map((ratio) => 200 * ratio));
      assert.ok(limited.stats().ratioReloads <= 2, `each browser loads its second page at ratio 2 once at most (${limited.stats().ratioReloads})`);
    } finally {
      await limited.close();
    }
  });
});

