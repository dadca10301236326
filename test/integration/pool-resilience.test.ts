/**
 * The pool heals: killed renderers and browsers, endless scripts and huge data sets cost one render
 * each, never the pool; pages are recycled on schedule; many renders at once all come back right.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { FarmError } from '../../errors/farm-error.js';
import { parseRenderRequest } from '../../renderer/render-request.js';
import { differingPixels } from '../helpers/pixels.js';
import { rendererPids } from '../helpers/processes.js';
import { BAR_OPTION, LINE_OPTION, request, startTestRenderer } from '../helpers/renderer.js';

/** An effect scatter never reports `finished`: its render stays in flight for `finishedWaitMs`. */
const NEVER_FINISHED = {
  xAxis: {},
  yAxis: {},
  series: [{ type: 'effectScatter', data: [[1, 2], [3, 4]] }],
};

async function rejectionOf(promise: Promise<unknown>): Promise<FarmError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FarmError, `a FarmError, got ${String(error)}`);
    return error;
  }
  assert.fail('the render succeeded');
}

function waitFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('crashes', () => {
  let renderer: ChartRenderer;
  let goldenBar: Buffer;

  before(async () => {
    renderer = await startTestRenderer({ browsers: 1, pagesPerBrowser: 2, finishedWaitMs: 4000 });
    goldenBar = (await renderer.render(request({ option: BAR_OPTION }))).bytes;
  });
  after(() => renderer?.close());

  it("reports renders whose page's renderer process was SIGKILLed as retryable, then renders correctly", async () => {
    // Each rejection is caught as it comes: the second may arrive while the first is checked.
    const inFlight = [0, 1].map(() => rejectionOf(renderer.render(request({ option: NEVER_FINISHED }))));
    await waitFor(800);
    const [browserPid] = renderer.browserPids();
    const renderers = rendererPids(browserPid!);
    assert.ok(renderers.length >= 1, 'found the renderer processes');
    for (const pid of renderers) process.kill(pid, 'SIGKILL');

    for (const error of await Promise.all(inFlight)) {
      assert.equal(error.reason, 'BROWSER_CRASHED');
      assert.equal(error.retryable, true);
    }
    for (let i = 0; i < 4; i += 1) {
      const result = await renderer.render(request({ option: BAR_OPTION }));
      assert.equal(differingPixels(result.bytes, goldenBar), 0);
    }
    assert.ok(renderer.stats().pageCrashes >= 2);
  });

  it('replaces a SIGKILLed browser and keeps rendering correctly', async () => {
    const inFlight = rejectionOf(renderer.render(request({ option: NEVER_FINISHED })));
    await waitFor(800);
    const [browserPid] = renderer.browserPids();
    process.kill(browserPid!, 'SIGKILL');
    const error = await inFlight;
    assert.equal(error.reason, 'BROWSER_CRASHED');
    assert.equal(error.retryable, true);

    const results = await Promise.all([0, 1, 2].map(() => renderer.render(request({ option: BAR_OPTION }))));
    for (const result of results) assert.equal(differingPixels(result.bytes, goldenBar), 0);
    const [newPid] = renderer.browserPids();
    assert.notEqual(newPid, browserPid);
    const stats = renderer.stats();
    assert.equal(stats.crashes, 1);
    assert.equal(stats.launches, 2);
    assert.equal(stats.connected, 1);
  });

  it('notices a browser killed while idle and replaces it within seconds, never counting its pages idle', async () => {
    const [browserPid] = renderer.browserPids();
    const launchesBefore = renderer.stats().launches;
    process.kill(browserPid!, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    // No render asks for a page: the pool must notice by itself.
    for (;;) {
      const stats = renderer.stats();
      const [pid] = renderer.browserPids();
      assert.ok(stats.connected === 0 || stats.idle <= stats.pages, JSON.stringify(stats));
      if (stats.connected === 0) assert.equal(stats.idle, 0, `dead pages counted idle: ${JSON.stringify(stats)}`);
      if (pid !== undefined && pid !== browserPid && stats.launches > launchesBefore && stats.idle === stats.pages) break;
      assert.ok(Date.now() < deadline, `not healed after 10 s: ${JSON.stringify(stats)}`);
      await waitFor(100);
    }
    const result = await renderer.render(request({ option: BAR_OPTION }));
    assert.equal(differingPixels(result.bytes, goldenBar), 0);
  });
});

describe('render timeout', () => {
  let renderer: ChartRenderer;
  const limitMs = 2000;

  before(async () => {
    renderer = await startTestRenderer({ allowFunctions: true, renderTimeoutMs: limitMs });
  });
  after(() => renderer?.close());

  async function assertTimesOut(option: Record<string, unknown> | string): Promise<void> {
    // Past MAX_OPTION_NODES' default on purpose: what a farm set to take such options must survive.
    const enormous = parseRenderRequest({ option }, { allowFunctions: true, limits: { maxDepth: 64, maxNodes: 50_000_000 } });
    const started = Date.now();
    const error = await rejectionOf(renderer.render(enormous));
    assert.equal(error.reason, 'RENDER_TIMEOUT');
    assert.equal(error.type, 'PROCESSING_ERROR');
    assert.equal(error.retryable, false);
    // The deadline holds: the error comes at the limit, not whenever the chart would end (never).
    assert.ok(Date.now() - started < limitMs + 1500, `answered after ${Date.now() - started} ms`);
    const next = await renderer.render(request({ option: LINE_OPTION }));
    assert.ok(next.bytes.length > 0);
  }

  it('stops a formatter that loops forever and keeps serving', async () => {
    await assertTimesOut(`var option = {
      xAxis: { type: 'category', data: ['a', 'b'], axisLabel: { formatter: function () { while (true) {} } } },
      yAxis: {}, series: [{ type: 'bar', data: [1, 2] }] };`);
    assert.equal(renderer.stats().timeouts, 1);
  });

  it('stops an enormous data set and keeps serving', async () => {
    const data = Array.from({ length: 3_000_000 }, (_, i) => [i % 9973, (i * 7919) % 10007]);
    await assertTimesOut({ xAxis: {}, yAxis: {}, series: [{ type: 'scatter', symbol: 'diamond', data }] });
  });
});

describe('recycling', () => {
  it('replaces a page after POOL_MAX_RENDERS_PER_PAGE renders with the same pixels', async () => {
    const renderer = await startTestRenderer({ maxRendersPerPage: 3 });
    try {
      const results = [];
      for (let i = 0; i < 7; i += 1) results.push(await renderer.render(request({ option: LINE_OPTION })));
      const pageIds = results.map((result) => result.pageId);
      assert.equal(new Set(pageIds.slice(0, 3)).size, 1);
      assert.equal(new Set(pageIds.slice(3, 6)).size, 1);
      assert.notEqual(pageIds[0], pageIds[3]);
      assert.notEqual(pageIds[3], pageIds[6]);
      assert.equal(renderer.stats().recycles, 2);
      for (const result of results) assert.equal(differingPixels(result.bytes, results[0]!.bytes), 0);
    } finally {
      await renderer.close();
    }
  });
});

describe('many renders at once', () => {
  it('renders 64 charts at once through 4 pages, all correct', async () => {
    const renderer = await startTestRenderer({ browsers: 2, pagesPerBrowser: 2 });
    try {
      const options = Array.from({ length: 8 }, (_, i) => ({
        ...BAR_OPTION,
        title: { text: `Chart ${i}` },
        series: [{ type: i % 2 ? 'bar' : 'line', data: [i, 2 * i + 3, 5, 9 - i] }],
      }));
      const expected = await Promise.all(options.map((option) => renderer.render(request({ option }))));
      const results = await Promise.all(
        Array.from({ length: 64 }, (_, i) => renderer.render(request({ option: options[i % 8]! }))),
      );
      assert.equal(new Set(results.map((result) => result.pageId)).size, 4, 'all four pages worked');
      results.forEach((result, i) => assert.equal(differingPixels(result.bytes, expected[i % 8]!.bytes), 0, `render ${i}`));
      assert.deepEqual(
        { busy: renderer.stats().busy, waiting: renderer.stats().waiting, pages: renderer.stats().pages },
        { busy: 0, waiting: 0, pages: 4 },
      );
    } finally {
      await renderer.close();
    }
  });
});
