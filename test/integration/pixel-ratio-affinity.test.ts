/**
 * A page renders only at the pixel ratio it was loaded with, and another ratio reloads it. With two
 * ratios in turn, each page should settle on one ratio instead of reloading for every render.
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
