/**
 * `GET /metrics` moves with the work: parsed from the exposition text after real renders and tasks.
 * The alert rules, the Grafana dashboard and the autoscaler's query name only metrics that this
 * real exposition contains.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { packageRoot } from '../../renderer/package-root.js';
import { consumerOptions, taskHandler } from '../../farm/task-system.js';
import { configWith } from '../../config/load-config.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { FarmMetrics } from '../../ops/farm-metrics.js';
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

/** Every metric name a scrape can match: the families of `# TYPE` lines, with a histogram's series. */
function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    const series = type === 'histogram' ? ['_bucket', '_sum', '_count'] : type === 'summary' ? ['_sum', '_count'] : [];
    for (const suffix of series) names.add(`${name}${suffix}`);
  }
  return names;
}

/** `[where, PromQL]` of every alert rule, dashboard panel and autoscaler trigger under docker/. */
function deployedQueries(): [string, string][] {
  const docker = join(packageRoot(), 'docker');
  const queries: [string, string][] = [];
  for (const file of readdirSync(join(docker, 'prometheus')).filter((name) => name.endsWith('.yml'))) {
    const groups = (parse(readFileSync(join(docker, 'prometheus', file), 'utf8')) as { groups?: { rules: { alert: string; expr: string }[] }[] }).groups ?? [];
    for (const rule of groups.flatMap((group) => group.rules)) queries.push([`${file} ${rule.alert}`, rule.expr]);
  }
  const dashboard = JSON.parse(readFileSync(join(docker, 'grafana', 'echarts-farm-dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
  for (const panel of dashboard.panels) for (const target of panel.targets) queries.push([`dashboard "${panel.title}"`, target.expr]);
  for (const file of readdirSync(join(docker, 'k8s'))) {
    for (const document of parseAllDocuments(readFileSync(join(docker, 'k8s', file), 'utf8'))) {
      const manifest = document.toJS() as { kind?: string; spec?: { triggers?: { metadata: { query?: string } }[] } };
      if (manifest.kind !== 'ScaledObject') continue;
      for (const trigger of manifest.spec?.triggers ?? []) if (trigger.metadata.query) queries.push([`k8s/${file}`, trigger.metadata.query]);
    }
  }
  return queries;
}

describe('GET /metrics', () => {
  let pool: ChartRenderer;
  let server: TestServer;
  let consumer: TaskConsumer;

  before(async () => {
    pool = await startTestRenderer();
    const queue = new MemoryTaskQueue();
    const config = configWith({});
    const metrics = new FarmMetrics({ renderer: pool, queue, maxPending: config.queueMaxPending });
    pool.observeRenders(metrics.renderObserver);
    const store = new LocalObjectStore({ root: mkdtempSync(join(tmpdir(), 'farm-metrics-')) });
    const onSteps = (_task: unknown, steps: { queueWaitMs: number; uploadMs: number }) => metrics.observeTaskSteps(steps);
    consumer = queue.consume(taskHandler(config, pool, store, queue, onSteps), consumerOptions(config, (task) => metrics.observeTaskEnd(task)));
    server = await startTestServer(pool, {}, { tasks: { queue, accepting: () => true }, store, metrics });
  });

  after(async () => {
    await consumer?.close(1000);
    await server?.close();
    await pool?.close();
  });

  async function exposition(): Promise<string> {
    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    return response.text();
  }

  async function scrape(): Promise<Map<string, number>> {
    return samples(await exposition());
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
    for (const step of ['queue_wait', 'upload']) assert.equal(moved(`echarts_farm_render_step_seconds_count{step="${step}"}`), 1, step);
    assert.equal(after.get('echarts_farm_queue_max_pending'), 10_000);
    assert.equal(after.get('echarts_farm_queue_oldest_pending_age_seconds'), 0, 'nothing pending');
    assert.equal(after.get('echarts_farm_workers_live'), 1);
    assert.equal(after.get('echarts_farm_workers_capacity'), 10);
    assert.equal(after.get('echarts_farm_pool{state="waiting"}'), 0);
    assert.ok((after.get('echarts_farm_pool_events{event="launches"}') ?? 0) >= 1);
  });

  it('names in the alert rules, the dashboard and the autoscaler are metrics the farm exports', async () => {
    const exported = exportedNames(await exposition());
    const queries = deployedQueries();
    assert.ok(queries.length >= 15, `found ${queries.length} queries`);
    for (const [where, query] of queries) {
      const names = [...new Set(query.match(/\becharts_farm_[a-zA-Z0-9_:]*/g) ?? [])];
      assert.ok(names.length > 0, `${where} reads a farm metric: ${query}`);
      for (const name of names) assert.ok(exported.has(name), `${where} reads ${name}, which /metrics does not export`);
    }
  });
});
