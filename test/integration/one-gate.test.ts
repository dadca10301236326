/**
 * One gate: a batch is refused whole and names `charts[k].field`; unknown fields are refused with a
 * hint; colours are checked; ossPath has one limit; an option sent as JSON text is an option; a map
 * nobody registered is named with MAPS_DIR.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import { MAX_OSS_PATH_LENGTH } from '../../tasks/object-keys.js';
import { expectProblem, postJson, startHttpTestRenderer, startTestServer, type TestServer } from '../helpers/http.js';

const OPTION = { xAxis: { data: ['a'] }, yAxis: {}, series: [{ type: 'bar', data: [1] }] };
const invalid = { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' };

let queue: MemoryTaskQueue;
let server: TestServer;
let renderer: ChartRenderer;
let rendering: TestServer;

before(async () => {
  queue = new MemoryTaskQueue();
  server = await startTestServer(undefined, {}, { tasks: { queue, accepting: () => true } });
  renderer = await startHttpTestRenderer();
  rendering = await startTestServer(renderer);
});

after(async () => {
  await server?.close();
  await rendering?.close();
  await renderer?.close();
});

describe('one gate for every request', () => {
  test('a batch whose chart 2 has a bad ossPath is refused whole, naming charts[2].ossPath', async () => {
    const before = (await queue.counts()).pending;
    const charts = [{ option: OPTION }, { option: OPTION }, { option: OPTION, ossPath: '../escape' }];
    const problem = await expectProblem(await postJson(`${server.url}/api/charts/batch`, { charts }), invalid);
    assert.equal((problem.error!.details as Record<string, unknown>).field, 'charts[2].ossPath');
    assert.match(problem.msg, /charts\[2\]/);
    assert.equal((await queue.counts()).pending, before, 'nothing of the batch was queued');
  });

  test('ossPath has one limit: the documented length passes the gate, one more does not', async () => {
    const atLimit = 'a'.repeat(MAX_OSS_PATH_LENGTH);
    assert.equal((await postJson(`${server.url}/api/charts/generate`, { option: OPTION, ossPath: atLimit })).status, 202);
    const problem = await expectProblem(await postJson(`${server.url}/api/charts/generate`, { option: OPTION, ossPath: `${atLimit}a` }), invalid);
    assert.equal((problem.error!.details as Record<string, unknown>).field, 'ossPath');
  });

  for (const [route, body, field, hint] of [
    ['/api/charts/generate', { option: OPTION, widht: 300 }, 'widht', 'width'],
    ['/', { option: OPTION, hieght: 300 }, 'hieght', 'height'],
    ['/api/charts/compare', { expected: 'AAAA', render: { option: OPTION, devicePixelRatoi: 2 } }, 'render.devicePixelRatoi', 'render.devicePixelRatio'],
    ['/api/charts/batch', { charts: [{ option: OPTION }, { option: OPTION, tpye: 'svg' }] }, 'charts[1].tpye', 'type'],
  ] as const) {
    test(`${route}: unknown field ${field} is refused with "did you mean"`, async () => {
      const problem = await expectProblem(await postJson(`${server.url}${route}`, body), invalid);
      assert.equal((problem.error!.details as Record<string, unknown>).field, field);
      assert.match(problem.msg, new RegExp(`did you mean .*${hint.replace(/[.[\]]/g, '\\$&')}`));
    });
  }

  test('a colour ECharts does not read is refused; names, hex, rgb and transparent pass', async () => {
    const problem = await expectProblem(await postJson(`${server.url}/api/charts/generate`, { option: OPTION, backgroundColor: 'notacolor' }), invalid);
    assert.equal((problem.error!.details as Record<string, unknown>).field, 'backgroundColor');
    for (const backgroundColor of ['steelblue', '#abc', '#aabbcc80', 'rgba(1, 2, 3, 0.5)', 'hsl(120, 50%, 50%)', 'transparent']) {
      assert.equal((await postJson(`${server.url}/api/charts/generate`, { option: OPTION, backgroundColor, type: 'png' })).status, 202, backgroundColor);
    }
  });

  test('an option sent as the text of a JSON object is that option, not JavaScript', async () => {
    assert.equal((await postJson(`${server.url}/api/charts/generate`, { option: JSON.stringify(OPTION) })).status, 202);
  });

  test('a map nobody registered: MAP_NOT_REGISTERED naming the map and MAPS_DIR', async () => {
    const option = { series: [{ type: 'map', map: 'atlantis', data: [] }] };
    for (const renderer of ['canvas', 'ssr'] as const) {
      const problem = await expectProblem(
        await postJson(`${rendering.url}/api/charts/generate?async=false`, { option, renderer, type: renderer === 'ssr' ? 'svg' : 'png' }),
        { status: 400, type: 'VALIDATION_ERROR', reason: 'MAP_NOT_REGISTERED' },
      );
      assert.match(problem.msg, /"atlantis".*MAPS_DIR/);
      assert.equal((problem.error!.details as Record<string, unknown>).field, 'option.series[0].map');
    }
  });
});
