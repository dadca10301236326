/**
 * `renderer: ssr`: ECharts' server-side SVG in a worker thread, no chart page. It answers through the
 * same API as the browser engines, never runs JavaScript options, keeps RENDER_TIMEOUT_MS, and
 * draws while every page of the pool is busy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { corpusMapsDir } from '../helpers/corpus.js';
import { expectProblem, postJson, startTestServer, type TestServer } from '../helpers/http.js';
import { BAR_OPTION, request, startTestRenderer } from '../helpers/renderer.js';

/** Never reports `finished`: holds the only page for the whole finished wait. */
const SLOW = { xAxis: {}, yAxis: {}, series: [{ type: 'effectScatter', data: [[1, 2]] }] };

describe('renderer ssr', () => {
  let renderer: ChartRenderer;
  let server: TestServer;

  before(async () => {
    renderer = await startTestRenderer({ finishedWaitMs: 3_000, renderTimeoutMs: 10_000, mapsDir: corpusMapsDir() });
    server = await startTestServer(renderer, { allowFunctions: true });
  });
  after(async () => {
    await server?.close();
    await renderer?.close();
  });

  it('answers an SVG over HTTP with the render fingerprint, theme and background applied', async () => {
    const response = await postJson(`${server.url}/api/charts/generate?async=false`, {
      option: BAR_OPTION,
      type: 'svg',
      renderer: 'ssr',
      width: 400,
      height: 300,
      theme: 'vintage',
      backgroundColor: '#fafafa',
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/svg+xml');
    assert.equal(response.headers.get('x-render-fingerprint'), renderer.fingerprint.hash);
    const svg = await response.text();
    assert.match(svg, /^<svg width="400" height="300"/);
    assert.match(svg, /<rect width="400" height="300" x="0" y="0" fill="#fafafa"/);
    assert.match(svg, /fill="#d87c7c"/, "vintage's first colour");
    assert.match(svg, /ecmeta_ssr_type="chart"/, 'drawn by the server-side renderer');
    assert.doesNotMatch(svg, /zr[1-9]\d*-/, "ECharts' counters are renumbered as for the browser's SVG");
  });

  it('draws without a page: an SSR render completes while the only page is busy', async () => {
    const busy = renderer.render(request({ option: SLOW }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    const result = await renderer.render(request({ option: BAR_OPTION, type: 'svg', renderer: 'ssr' }));
    assert.ok(performance.now() - started < 2_000, 'it did not wait for the page');
    assert.equal(result.pageId, 0);
    assert.equal(renderer.stats().busy, 1, 'the page is still busy with the slow chart');
    await busy;
  });

  it('refuses JavaScript options even where ALLOW_FUNCTIONS is on, and types other than svg', async () => {
    const url = `${server.url}/api/charts/generate?async=false`;
    const script = await expectProblem(await postJson(url, { option: 'var option = {series: []};', type: 'svg', renderer: 'ssr' }), {
      status: 400,
      type: 'VALIDATION_ERROR',
      reason: 'FUNCTIONS_NOT_ALLOWED',
    });
    assert.match(script.msg, /whatever ALLOW_FUNCTIONS says/);
    assert.equal((await postJson(url, { option: 'var option = {series: []};', type: 'svg' })).status, 200, 'the browser engine still runs it');
    const png = await expectProblem(await postJson(url, { option: BAR_OPTION, renderer: 'ssr' }), { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
    assert.match(png.msg, /renderer ssr draws SVG only/);
  });

  it('answers unknown series, charts ECharts cannot draw and SVG maps as the browser engines would', async () => {
    await assert.rejects(renderer.render(request({ option: { series: [{ type: 'nope' }] }, type: 'svg', renderer: 'ssr' })), /INVALID_OPTION|unknown series type "nope"/);
    await assert.rejects(
      renderer.render(request({ option: { xAxis: { type: 'no-such-axis' }, yAxis: {}, series: [{ type: 'bar', data: [1] }] }, type: 'svg', renderer: 'ssr' })),
      /ECharts could not draw the option server-side/,
    );
    // Node has no DOMParser: an SVG map cannot be drawn here, and the answer says why.
    await assert.rejects(
      renderer.render(request({ option: { geo: { map: 'testGeoSVG_coord' } }, type: 'svg', renderer: 'ssr' })),
      /map "testGeoSVG_coord" cannot be drawn server-side/,
    );
    const geo = await renderer.render(request({ option: { series: [{ type: 'map', map: 'HK' }] }, type: 'svg', renderer: 'ssr' }));
    assert.match(geo.bytes.toString(), /<path d="M/, 'GeoJSON maps are registered');
  });

  it('keeps RENDER_TIMEOUT_MS: a render past it fails and the next one gets a fresh worker', async () => {
    // Long enough for a fresh worker thread to start under a busy CPU; far too short for 1.2 M points.
    const hurried = await startTestRenderer({ renderTimeoutMs: 2_000 });
    try {
      const data = Array.from({ length: 1_200_000 }, (_, i) => [i % 997, (i * 7919) % 1009]);
      await assert.rejects(hurried.render(request({ option: { xAxis: {}, yAxis: {}, series: [{ type: 'scatter', data }] }, type: 'svg', renderer: 'ssr' })), (error: Error & { reason?: string }) => {
        assert.equal(error.reason, 'RENDER_TIMEOUT');
        return true;
      });
      const next = await hurried.render(request({ option: BAR_OPTION, type: 'svg', renderer: 'ssr' }));
      assert.match(next.bytes.toString(), /^<svg/);
      assert.equal(hurried.stats().timeouts, 1);
    } finally {
      await hurried.close();
    }
  });
});
