/** `GET /metrics` moves with the work: parsed from the exposition text after real renders and tasks. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { consumerOptions, taskHandler } from '../../cli/task-system.js';
import { configWith } from '../../config/load-config.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { FarmMetrics } from '../../server/farm-metrics.js';
import { LocalObjectStore } from '../../storage/local-store.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import type { TaskConsumer } from '../../tasks/task-queue.js';
import type { TaskView } from '../../tasks/task-view.js';
import { postJson, readEnvelope, startTestServer, type TestServer } from '../helpers/http.js';
import { BAR_OPTION, startTestRenderer } from '../helpers/renderer.js';

/** `name{labels} value` lines of the exposition, as a map from `name{labels}` to the value. */
function samples(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = /^(\S+?(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) values.set(match[1]!, Number(match[2]));
  }
  return values;
}

describe('GET /metrics', () => {
  let pool: ChartRenderer;
  let server: TestServer;
  let consumer: TaskConsumer;

  before(async () => {
    pool = await startTestRenderer();
    const queue = new MemoryTaskQueue();
    const metrics = new FarmMetrics({ renderer: pool, queue });
    const renderer = metrics.meter(pool);
    const store = new LocalObjectStore({ root: mkdtempSync(join(tmpdir(), 'farm-metrics-')) });
    const config = configWith({});
    consumer = queue.consume(taskHandler(config, renderer, store, queue), consumerOptions(config, (task) => metrics.observeTaskEnd(task)));
    server = await startTestServer(renderer, {}, { tasks: { queue, accepting: () => true }, store, metrics });
  });

  after(async () => {
    await consumer?.close(1000);
    await server?.close();
    await pool?.close();
  });

  async function scrape(): Promise<Map<string, number>> {
    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    return samples(await response.text());
  }

  it('counts requests, renders and their steps, tasks, and shows the pool and Chromium memory', async () => {
    const before = await scrape();
    for (let i = 0; i < 2; i += 1) {
      const sync = await postJson(`${server.url}/api/charts/generate?async=false`, { option: BAR_OPTION, width: 200, height: 120 });
      assert.equal(sync.status, 200);
    }
    await postJson(`${server.url}/api/charts/generate?async=false`, { option: BAR_OPTION, width: 0 });
    const task = (await readEnvelope<TaskView>(await postJson(`${server.url}/api/charts/generate`, { option: BAR_OPTION }))).data!;
    await (await fetch(`${server.url}/api/charts/events/${task.taskId}`)).text();

    const after = await scrape();
    const moved = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    assert.equal(moved('echarts_farm_http_requests_total{method="POST",route="/api/charts/generate",status="200"}'), 2);
    assert.equal(moved('echarts_farm_http_requests_total{method="POST",route="/api/charts/generate",status="400"}'), 1);
    assert.equal(moved('echarts_farm_renders_total{type="png",outcome="ok"}'), 3, 'two synchronous renders and one task');
    for (const step of ['acquire', 'viewport', 'set_option', 'settle', 'capture', 'total']) {
      assert.equal(moved(`echarts_farm_render_step_seconds_count{step="${step}"}`), 3, step);
    }
    assert.equal(moved('echarts_farm_tasks_finished_total{status="completed"}'), 1);
    assert.equal(after.get('echarts_farm_pool{state="pages"}'), 1);
    assert.equal(after.get('echarts_farm_pool{state="busy"}'), 0);
    assert.equal(after.get('echarts_farm_queue_tasks{status="completed"}'), 1);
    assert.ok((after.get('echarts_farm_chromium_memory_bytes') ?? 0) > 50 * 1024 * 1024, 'Chromium uses memory');
    assert.ok(after.has('echarts_farm_node_process_cpu_user_seconds_total'));
  });
});
