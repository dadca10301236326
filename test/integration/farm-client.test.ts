/**
 * The typed client against a real `echarts-farm serve`, and against proxies in front of it for what
 * the farm itself does not do on demand: refusing event streams, answering 503 and 429 for a while.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FarmApiError, FarmClient, FarmWaitTimeoutError, type ChartSpec, type SubmittedTask, type TaskStatus } from '../../client/index.js';
import { startFarmProcess, type FarmProcess } from '../helpers/farm-process.js';
import { startProxy, type TestProxy } from '../helpers/http-proxy.js';
import { decodePng } from '../helpers/pixels.js';
import { BAR_OPTION } from '../helpers/renderer.js';

const MAX_PENDING = 3;
let farm: FarmProcess;
let client: FarmClient;
const proxies: TestProxy[] = [];

/** A chart whose effect never finishes: each render takes RENDER_FINISHED_WAIT_MS. Unique, so no cached copy answers it. */
const slowChart = (n: number): ChartSpec => ({ option: { xAxis: {}, yAxis: {}, series: [{ type: 'effectScatter', data: [[1, n]] }] }, width: 100, height: 80 });
const smallChart: ChartSpec = { option: BAR_OPTION, width: 200, height: 120 };

async function proxy(intercept?: Parameters<typeof startProxy>[1]): Promise<TestProxy> {
  const started = await startProxy(farm.url, intercept);
  proxies.push(started);
  return started;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

before(async () => {
  farm = await startFarmProcess('serve', {
    LOCAL_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'farm-client-')),
    QUEUE_MAX_CONCURRENT: '1',
    QUEUE_MAX_PENDING: String(MAX_PENDING),
    RENDER_FINISHED_WAIT_MS: '1500',
  });
  client = new FarmClient({ baseUrl: farm.url });
});

after(async () => {
  for (const started of proxies) await started.close();
  await farm?.stop('SIGKILL');
});

describe('FarmClient', () => {
  it('renders synchronously: the bytes, their type and the render fingerprint', async () => {
    const image = await client.render({ ...smallChart, devicePixelRatio: 2 });
    assert.equal(image.contentType, 'image/png');
    const png = decodePng(Buffer.from(image.bytes));
    assert.deepEqual([png.width, png.height], [400, 240]);
    const info = (await (await fetch(`${farm.url}/api/system/info`)).json()) as { data: { fingerprint: { hash: string } } };
    assert.equal(image.fingerprint, info.data.fingerprint.hash);
    assert.match(image.serverTiming ?? '', /total;dur=/);
  });

  it('submits, waits on the event stream, and reads status, list and image', async () => {
    const submitted = await client.submit(smallChart, { idempotencyKey: 'client-test-1' });
    assert.equal(submitted.existing, false);
    const seen: TaskStatus[] = [];
    const final = await client.wait(submitted.taskId, { timeoutMs: 20_000, via: 'events', onStatus: (task) => seen.push(task.status) });
    assert.equal(final.status, 'completed');
    assert.equal(seen.at(-1), 'completed');
    assert.equal((await client.submit(smallChart, { idempotencyKey: 'client-test-1' })).existing, true);
    assert.equal((await client.status(submitted.taskId)).bytes, final.bytes);
    const page = await client.list({ status: 'completed', limit: 50 });
    assert.ok(page.tasks.some((task) => task.taskId === submitted.taskId));
    const image = await client.image(submitted.taskId);
    assert.equal(image.contentType, 'image/png');
    assert.equal(decodePng(Buffer.from(image.bytes)).width, 200);
  });

  it('polls the status when a proxy refuses event streams', async () => {
    const refusing = await proxy((request) =>
      request.url?.startsWith('/api/charts/events/') ? { status: 502, headers: { 'content-type': 'text/html' }, body: '<h1>Bad Gateway</h1>' } : undefined,
    );
    const viaProxy = new FarmClient({ baseUrl: refusing.url });
    const { taskId } = await viaProxy.submit({ ...smallChart, width: 210 });
    const final = await viaProxy.wait(taskId, { timeoutMs: 20_000, pollIntervalMs: 50 });
    assert.equal(final.status, 'completed');
    const paths = refusing.requests.map((request) => request.url);
    assert.ok(paths.includes(`/api/charts/events/${taskId}`), 'tried the event stream first');
    assert.ok(paths.includes(`/api/charts/status/${taskId}`), 'then polled');
  });

  it('queues a batch whole, or refuses it whole with a typed error naming the chart', async () => {
    const tasks = await client.batch([{ ...smallChart, width: 220 }, { ...smallChart, type: 'svg' }]);
    assert.equal(tasks.length, 2);
    const finals = await Promise.all(tasks.map((task) => client.wait(task.taskId, { timeoutMs: 20_000 })));
    assert.deepEqual(finals.map((task) => [task.status, task.contentType]), [['completed', 'image/png'], ['completed', 'image/svg+xml']]);
    const refused = await rejection(client.batch([smallChart, { ...smallChart, width: 0 }]));
    assert.ok(refused instanceof FarmApiError);
    assert.deepEqual([refused.status, refused.type, refused.reason, refused.details.index], [400, 'VALIDATION_ERROR', 'INVALID_REQUEST', 1]);
  });

  it('throws errors that carry the status, type, reason, details and request id of the envelope', async () => {
    const invalid = await rejection(client.render({ ...smallChart, width: 0 }));
    assert.ok(invalid instanceof FarmApiError);
    assert.deepEqual([invalid.status, invalid.type, invalid.reason], [400, 'VALIDATION_ERROR', 'INVALID_REQUEST']);
    assert.deepEqual((invalid.details.issues as { field: string }[])[0]?.field, 'width');
    assert.match(invalid.requestId ?? '', /^[\w-]{8,}$/);
    const missing = await rejection(client.status(crypto.randomUUID()));
    assert.ok(missing instanceof FarmApiError);
    assert.deepEqual([missing.status, missing.reason], [404, 'NOT_FOUND']);
    const waitMissing = await rejection(client.wait(crypto.randomUUID(), { timeoutMs: 5_000 }));
    assert.ok(waitMissing instanceof FarmApiError && waitMissing.reason === 'NOT_FOUND');
  });

  it('gives up waiting after timeoutMs or when its signal aborts, and cancels', async () => {
    const { taskId } = await client.submit(slowChart(1));
    const timedOut = await rejection(client.wait(taskId, { timeoutMs: 200 }));
    assert.ok(timedOut instanceof FarmWaitTimeoutError, String(timedOut));
    assert.equal(timedOut.taskId, taskId);
    assert.ok(timedOut.lastSeen && ['pending', 'processing'].includes(timedOut.lastSeen.status));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const aborted = await rejection(client.wait(taskId, { signal: controller.signal, via: 'polling', pollIntervalMs: 20 }));
    assert.equal((aborted as Error).name, 'AbortError');
    await client.cancel(taskId);
    assert.equal((await client.wait(taskId, { timeoutMs: 10_000 })).status, 'cancelled');
  });

  it('throws QUEUE_FULL at once when Retry-After asks for longer than maxRetryDelayMs', async () => {
    const impatient = new FarmClient({ baseUrl: farm.url, maxRetryDelayMs: 1000 });
    const queued: SubmittedTask[] = [];
    let full: unknown;
    let refusedAfterMs = 0;
    // MAX_PENDING wait behind the running one; whether the first already runs decides which submit is refused.
    for (let n = 10; n < 20 && full === undefined; n += 1) {
      const started = Date.now();
      await impatient.submit(slowChart(n)).then(
        (task) => queued.push(task),
        (error: unknown) => ((full = error), (refusedAfterMs = Date.now() - started)),
      );
    }
    assert.ok(queued.length === MAX_PENDING || queued.length === MAX_PENDING + 1, `${queued.length} queued`);
    assert.ok(full instanceof FarmApiError);
    assert.deepEqual([full.status, full.type, full.reason, full.retryAfterMs], [503, 'SYSTEM_ERROR', 'QUEUE_FULL', 5000]);
    assert.ok(refusedAfterMs < 1000, 'did not wait');
    for (const task of queued) await impatient.cancel(task.taskId);
  });

  it('sends the API key and a fresh bearer token, and retries 503 and 429 as Retry-After says', async () => {
    let refusals = 0;
    const gateway = await proxy((request) => {
      if (request.url !== '/api/system/info' && !request.url?.startsWith('/api/charts/status/')) return undefined;
      refusals += 1;
      if (refusals === 1) {
        return { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: JSON.stringify({ code: 503, msg: 'busy', data: null, error: { type: 'SYSTEM_ERROR', reason: 'QUEUE_FULL', details: {} } }) };
      }
      return refusals === 2 ? { status: 429, body: 'slow down' } : undefined;
    });
    let tokens = 0;
    const authenticated = new FarmClient({ baseUrl: gateway.url, apiKey: 'key-1', token: () => `jwt-${(tokens += 1)}` });
    const { taskId } = await client.submit({ ...smallChart, width: 230 });
    const started = Date.now();
    assert.equal((await authenticated.status(taskId)).taskId, taskId);
    assert.ok(Date.now() - started >= 1000, 'waited the Retry-After second');
    const statusRequests = gateway.requests.filter((request) => request.url.startsWith('/api/charts/status/'));
    assert.equal(statusRequests.length, 3, 'one 503, one 429, one answer');
    assert.deepEqual(statusRequests.map((request) => [request.headers['x-api-key'], request.headers.authorization]), [
      ['key-1', 'Bearer jwt-1'],
      ['key-1', 'Bearer jwt-2'],
      ['key-1', 'Bearer jwt-3'],
    ]);
  });

  it('stops retrying after maxRetries and throws the last answer', async () => {
    const down = await proxy(() => ({ status: 503, headers: { 'retry-after': '0' }, body: '<h1>Service Unavailable</h1>' }));
    const error = await rejection(new FarmClient({ baseUrl: down.url, maxRetries: 2 }).status(crypto.randomUUID()));
    assert.ok(error instanceof FarmApiError);
    assert.deepEqual([error.status, error.type, error.reason], [503, null, null]);
    assert.equal(down.requests.length, 3);
  });
});
