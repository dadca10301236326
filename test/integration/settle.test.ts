/**
 * When the page captures: once the chart and everything it depends on is ready, never after a fixed
 * time. A chart whose images cannot load renders with them missing, in the time its parts take.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { request, startTestRenderer } from '../helpers/renderer.js';

/** A background pattern, symbol, bar pattern and decal whose image can never load, and a decal on every series. */
function failingImagesOption(src: string): Record<string, unknown> {
  return {
    backgroundColor: { image: src, repeat: 'repeat' },
    aria: { enabled: true, decal: { show: true } },
    xAxis: { type: 'category', data: ['a', 'b'], axisPointer: { status: 'show', value: 'a' } },
    yAxis: {},
    series: [
      { type: 'scatter', symbol: `image://${src}`, data: [1, 2] },
      { type: 'bar', data: [1, 2], itemStyle: { color: { image: src, repeat: 'repeat' }, decal: { symbol: `image://${src}` } } },
    ],
  };
}

describe('settling', () => {
  let renderer: ChartRenderer;
  before(async () => {
    renderer = await startTestRenderer({ renderTimeoutMs: 15_000, finishedWaitMs: 5_000 });
  });
  after(() => renderer?.close());

  // A failed image repainted its elements in a loop that its own repaints kept feeding: the page hung.
  for (const src of ['data:,x', 'http://127.0.0.1:1/refused.png']) {
    it(`renders a chart whose images fail to load (${src}) without waiting for the render timeout`, async () => {
      const result = await renderer.render(request({ option: failingImagesOption(src), width: 400, height: 300 }));
      assert.equal(result.settledBy, 'finished');
      assert.ok(result.steps.settleMs < 5_000, `settled in ${Math.round(result.steps.settleMs)} ms`);
    });
  }
});
