/**
 * When the page captures: once the chart and everything it depends on is ready, never after a fixed
 * time. A chart whose images cannot load renders with them missing, in the time its parts take.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isFarmError } from '../../errors/farm-error.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { FarmMetrics } from '../../ops/farm-metrics.js';
import { postJson, startTestServer } from '../helpers/http.js';
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

/** Ripples that loop forever: ECharts never reports `finished`. */
const LOOPING_EFFECT = {
  xAxis: { type: 'category', data: ['a', 'b', 'c'] },
  yAxis: {},
  series: [{ type: 'effectScatter', data: [3, 1, 2], rippleEffect: { period: 2 } }],
};

/** A series that turns its own animation back on, far longer than the cap: still drawing when it runs out. */
const LONG_ANIMATION = {
  xAxis: { type: 'category', data: ['a', 'b'] },
  yAxis: {},
  series: [{ type: 'bar', data: [1, 2], animation: true, animationDuration: 600_000 }],
};

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

  it('captures a chart with looping effects at the cap and says so', async () => {
    const capped = await startTestRenderer({ finishedWaitMs: 300 });
    try {
      const result = await capped.render(request({ option: LOOPING_EFFECT, width: 300, height: 200 }));
      assert.equal(result.settledBy, 'cap');
    } finally {
      await capped.close();
    }
  });

  it('reports a capture at the cap in the answer header and the metrics', async () => {
    const capped = await startTestRenderer({ finishedWaitMs: 300 });
    const metrics = new FarmMetrics();
    capped.observeRenders(metrics.renderObserver);
    const server = await startTestServer(capped, {}, { metrics });
    try {
      const looping = await postJson(`${server.url}/api/charts/generate?async=false`, { option: LOOPING_EFFECT, width: 300, height: 200 });
      assert.equal(looping.status, 200);
      assert.equal(looping.headers.get('x-render-settled-by'), 'cap');
      const still = await postJson(`${server.url}/api/charts/generate?async=false`, { option: { series: [] }, width: 300, height: 200 });
      assert.equal(still.headers.get('x-render-settled-by'), 'finished');
      const exposition = await metrics.exposition();
      assert.match(exposition, /echarts_farm_renders_settled_total\{settled_by="cap"\} 1\b/);
      assert.match(exposition, /echarts_farm_renders_settled_total\{settled_by="finished"\} 1\b/);
    } finally {
      await server.close();
      await capped.close();
    }
  });

  it('fails a chart still drawing at the cap with RENDER_UNSETTLED (retryable) instead of capturing it', async () => {
    const capped = await startTestRenderer({ finishedWaitMs: 300 });
    try {
      await assert.rejects(capped.render(request({ option: LONG_ANIMATION, width: 300, height: 200 })), (error) => {
        assert.ok(isFarmError(error));
        assert.equal(error.reason, 'RENDER_UNSETTLED');
        assert.equal(error.retryable, true);
        assert.match(error.message, /animation/);
        return true;
      });
    } finally {
      await capped.close();
    }
  });
});
