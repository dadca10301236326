/**
 * The asynchronous half of the HTTP contract on the memory queue, with real Chromium and the local
 * store: submit, status, image, events, idempotency, cancel, list, batch, queue full, shutdown.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { CallbackAllowList } from '../../tasks/callback-address.js';
import { WebhookSender, verifySignature } from '../../tasks/webhook-sender.js';
import type { TaskRecord } from '../../tasks/task.js';
import { configWith } from '../../config/load-config.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { LocalObjectStore } from '../../storage/local-store.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import type { TaskConsumer } from '../../tasks/task-queue.js';
import { consumerOptions, taskHandler } from '../../farm/task-system.js';
import type { TaskView } from '../../tasks/task-view.js';
import { expectProblem, postJson, readEnvelope, startHttpTestRenderer, startTestServer, type TestServer } from '../helpers/http.js';
import { decodePng } from '../helpers/pixels.js';
import { BAR_OPTION } from '../helpers/renderer.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const WEBHOOK_SECRET = 'test-secret';
/** Webhook calls the test receiver got. */
const webhookCalls: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
let receiver: Server;
let receiverUrl: string;

let renderer: ChartRenderer;
let store: LocalObjectStore;
/** A farm whose worker renders. */
let farm: { server: TestServer; queue: MemoryTaskQueue; consumer: TaskConsumer };
/** A farm with no worker, so tasks stay pending. */
let idle: { server: TestServer; queue: MemoryTaskQueue; accepting: boolean };
let webhooks: WebhookSender;

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      webhookCalls.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  }).listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  renderer = await startHttpTestRenderer();
  store = new LocalObjectStore({ root: mkdtempSync(join(tmpdir(), 'farm-images-')) });
  const config = configWith({ queueRetryBackoffMs: 10 });
  const queue = new MemoryTaskQueue();
  // The receiver listens on 127.0.0.1, which webhooks reach only when the operator allows it.
  webhooks = new WebhookSender({ logger: pino({ level: 'silent' }), secret: WEBHOOK_SECRET, baseDelayMs: 10, allowList: new CallbackAllowList(['127.0.0.1']) });
  const notify = (task: TaskRecord): void => void webhooks.notify(task);
  const consumer = queue.consume(taskHandler(config, renderer, store, queue), consumerOptions(config, notify));
  farm = { queue, consumer, server: await startTestServer(renderer, { webhookAllowHosts: ['127.0.0.1'] }, { tasks: { queue, accepting: () => true, onCancelled: notify }, store }) };
  const idleQueue = new MemoryTaskQueue();
  idle = { queue: idleQueue, accepting: true, server: undefined as unknown as TestServer };
  idle.server = await startTestServer(renderer, { queueMaxPending: 3, batchMaxCharts: 5 }, { tasks: { queue: idleQueue, accepting: () => idle.accepting }, store });
});

after(async () => {
  await webhooks?.close();
  receiver?.close();
  await farm?.consumer.close(1000);
  await farm?.server.close();
  await idle?.server.close();
  await renderer?.close();
});

async function submit(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  const response = await postJson(`${server.url}/api/charts/generate`, body, headers);
  return { response, envelope: await readEnvelope<TaskView & { existing: boolean }>(response) };
}

async function statusOf(server: TestServer, taskId: string): Promise<TaskView> {
  return (await readEnvelope<TaskView>(await fetch(`${server.url}/api/charts/status/${taskId}`))).data!;
}

async function waitFor(server: TestServer, taskId: string, status: string): Promise<TaskView> {
  for (let i = 0; i < 400; i += 1) {
    const view = await statusOf(server, taskId);
    if (view.status === status) return view;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`task ${taskId} never became ${status}`);
}

describe('asynchronous generate', () => {
  it('queues a task (202), completes it, and serves its image with ETag and ranges', async () => {
    const { response, envelope } = await submit(farm.server, { option: BAR_OPTION, width: 320, height: 200 });
    assert.equal(response.status, 202);
    assert.equal(envelope.code, 202);
    const queued = envelope.data!;
    assert.match(queued.taskId, UUID_V4);
    assert.equal(queued.status, 'pending');
    assert.equal(queued.statusUrl, `/api/charts/status/${queued.taskId}`);
    assert.equal(queued.existing, false);

    const done = await waitFor(farm.server, queued.taskId, 'completed');
    assert.ok(done.createdAt <= done.startedAt! && done.startedAt! <= done.completedAt!);
    assert.equal(done.imageUrl, `/api/images/${queued.taskId}`);
    assert.equal(done.fingerprint, renderer.fingerprint.hash);
    assert.equal(done.contentType, 'image/png');
    assert.equal(done.retryCount, 0);
    assert.equal(done.error, null);
    assert.match(done.fileName!, new RegExp(`^${queued.taskId}\\.png$`));

    const image = await fetch(`${farm.server.url}${done.imageUrl}`);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await image.arrayBuffer());
    assert.deepEqual([decodePng(bytes).width, decodePng(bytes).height], [320, 200]);
    const etag = image.headers.get('etag')!;
    assert.ok(etag);
    assert.equal((await fetch(`${farm.server.url}${done.imageUrl}`, { headers: { 'if-none-match': etag } })).status, 304);
    const part = await fetch(`${farm.server.url}${done.imageUrl}`, { headers: { range: 'bytes=0-7' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 0-7/${bytes.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(0, 8));
  });

  it('serves an identical request from the stored result, saying cached: true', async () => {
    const body = { option: { ...BAR_OPTION, title: { text: 'cache me' } }, width: 310, height: 210 };
    const first = await waitFor(farm.server, (await submit(farm.server, body)).envelope.data!.taskId, 'completed');
    const rendersBefore = renderer.stats().renders;
    const second = await waitFor(farm.server, (await submit(farm.server, body)).envelope.data!.taskId, 'completed');
    assert.equal(first.cached, false);
    assert.equal(second.cached, true);
    assert.equal(renderer.stats().renders, rendersBefore, 'no render for the cached task');
    const [a, b] = await Promise.all([first, second].map(async (task) => Buffer.from(await (await fetch(`${farm.server.url}${task.imageUrl}`)).arrayBuffer())));
    assert.ok(a!.equals(b!));
    const otherSize = await waitFor(farm.server, (await submit(farm.server, { ...body, width: 311 })).envelope.data!.taskId, 'completed');
    assert.equal(otherSize.cached, false);
  });

  it('calls callbackUrl with the final status, signed with WEBHOOK_SECRET', async () => {
    const { envelope } = await submit(farm.server, { option: BAR_OPTION, width: 200, height: 150, callbackUrl: receiverUrl });
    const taskId = envelope.data!.taskId;
    await waitFor(farm.server, taskId, 'completed');
    let call: (typeof webhookCalls)[number] | undefined;
    for (let i = 0; i < 200 && !call; i += 1) {
      call = webhookCalls.find((c) => c.body.includes(taskId));
      if (!call) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.ok(call, 'the receiver was called');
    const payload = JSON.parse(call.body) as { event: string; task: { taskId: string; status: string; imageUrl: string } };
    assert.equal(payload.event, 'task.completed');
    assert.equal(payload.task.status, 'completed');
    assert.equal(payload.task.imageUrl, `/api/images/${taskId}`);
    const signed = { timestamp: call.headers['x-echarts-farm-timestamp'] as string, deliveryId: call.headers['x-echarts-farm-delivery'] as string };
    assert.ok(verifySignature(WEBHOOK_SECRET, signed, call.body, call.headers['x-echarts-farm-signature'] as string));
    assert.ok(!verifySignature('another-secret', signed, call.body, call.headers['x-echarts-farm-signature'] as string));
  });

  it('streams one server-sent event per status change, ending on the final one', async () => {
    const { envelope } = await submit(farm.server, { option: BAR_OPTION, width: 300, height: 200 });
    const events = await fetch(`${farm.server.url}/api/charts/events/${envelope.data!.taskId}`);
    assert.equal(events.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const text = await events.text();
    const statuses = [...text.matchAll(/^data: (.*)$/gm)].map((match) => (JSON.parse(match[1]!) as TaskView).status);
    assert.equal(statuses.at(-1), 'completed');
    assert.deepEqual(statuses, [...new Set(statuses)], 'no status twice');
    assert.ok(['pending', 'processing', 'completed'].join().includes(statuses.join()), `order: ${statuses}`);
  });

  it('returns the same task for the same Idempotency-Key, and a new one without', async () => {
    const first = await submit(idle.server, { option: BAR_OPTION }, { 'idempotency-key': 'invoice-7' });
    const again = await submit(idle.server, { option: BAR_OPTION }, { 'idempotency-key': 'invoice-7' });
    assert.equal(again.response.status, 200);
    assert.equal(again.envelope.data!.existing, true);
    assert.equal(again.envelope.data!.taskId, first.envelope.data!.taskId);
    const viaBody = await submit(idle.server, { option: BAR_OPTION, idempotencyKey: 'invoice-7' });
    assert.equal(viaBody.envelope.data!.taskId, first.envelope.data!.taskId);
    await fetch(`${idle.server.url}/api/charts/tasks/${first.envelope.data!.taskId}`, { method: 'DELETE' });
  });

  it('refuses an Idempotency-Key reused for a different request with 422 IDEMPOTENCY_CONFLICT', async () => {
    const first = await submit(idle.server, { option: BAR_OPTION }, { 'idempotency-key': 'invoice-8' });
    const other = await submit(idle.server, { option: BAR_OPTION, width: 300 }, { 'idempotency-key': 'invoice-8' });
    assert.equal(other.response.status, 422);
    assert.equal(other.envelope.error?.reason, 'IDEMPOTENCY_CONFLICT');
    assert.equal(other.envelope.error?.type, 'VALIDATION_ERROR');
    assert.deepEqual(other.envelope.error?.details, { field: 'Idempotency-Key', taskId: first.envelope.data!.taskId, differs: ['render'] });
    const otherPriority = await submit(idle.server, { option: BAR_OPTION, priority: 'high' }, { 'idempotency-key': 'invoice-8' });
    assert.deepEqual(otherPriority.envelope.error?.details?.differs, ['priority']);
    await fetch(`${idle.server.url}/api/charts/tasks/${first.envelope.data!.taskId}`, { method: 'DELETE' });
  });

  it('cancels a pending task at once and lists tasks newest first', async () => {
    const a = (await submit(idle.server, { option: BAR_OPTION, priority: 'low' })).envelope.data!;
    const b = (await submit(idle.server, { option: BAR_OPTION, priority: 'high' })).envelope.data!;
    const cancel = await fetch(`${idle.server.url}/api/charts/tasks/${a.taskId}`, { method: 'DELETE' });
    const cancelled = (await readEnvelope<TaskView>(cancel)).data!;
    assert.equal(cancel.status, 200);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.error?.reason, 'CANCELLED');
    const list = (await readEnvelope<{ tasks: TaskView[] }>(await fetch(`${idle.server.url}/api/charts/tasks?limit=2`))).data!;
    assert.deepEqual(list.tasks.map((task) => task.taskId), [b.taskId, a.taskId]);
    const onlyCancelled = (await readEnvelope<{ tasks: TaskView[] }>(await fetch(`${idle.server.url}/api/charts/tasks?status=cancelled`))).data!;
    assert.ok(onlyCancelled.tasks.every((task) => task.status === 'cancelled'));
    await fetch(`${idle.server.url}/api/charts/tasks/${b.taskId}`, { method: 'DELETE' });
  });

  it('refuses past QUEUE_MAX_PENDING with 503 QUEUE_FULL and Retry-After', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await submit(idle.server, { option: BAR_OPTION })).envelope.data!.taskId);
    const response = await postJson(`${idle.server.url}/api/charts/generate`, { option: BAR_OPTION });
    await expectProblem(response, { status: 503, type: 'SYSTEM_ERROR', reason: 'QUEUE_FULL' });
    assert.equal(response.headers.get('retry-after'), '5');
    const status = (await readEnvelope<{ pendingTasks: number; maxPending: number }>(await fetch(`${idle.server.url}/api/system/queue-status`))).data!;
    assert.equal(status.pendingTasks, 3);
    assert.equal(status.maxPending, 3);
    for (const id of ids) await fetch(`${idle.server.url}/api/charts/tasks/${id}`, { method: 'DELETE' });
  });

  it('queues a batch whole, or refuses it whole naming the bad chart', async () => {
    const bad = await postJson(`${idle.server.url}/api/charts/batch`, { charts: [{ option: BAR_OPTION }, { option: BAR_OPTION, width: 0 }] });
    const problem = await expectProblem(bad, { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
    assert.match(problem.msg, /^charts\[1\]: width/);
    assert.equal((await idle.queue.counts()).pending, 0);
    const good = await postJson(`${idle.server.url}/api/charts/batch`, { charts: [{ option: BAR_OPTION }, { option: BAR_OPTION, type: 'svg' }] });
    const tasks = (await readEnvelope<{ tasks: TaskView[] }>(good)).data!.tasks;
    assert.equal(good.status, 202);
    assert.deepEqual(tasks.map((task) => task.type), ['png', 'svg']);
    for (const task of tasks) await fetch(`${idle.server.url}/api/charts/tasks/${task.taskId}`, { method: 'DELETE' });
    const tooMany = await postJson(`${idle.server.url}/api/charts/batch`, { charts: Array.from({ length: 6 }, () => ({ option: BAR_OPTION })) });
    await expectProblem(tooMany, { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
  });

  it('refuses hostile ossPath values before queueing', async () => {
    for (const ossPath of ['../etc', 'a/../../b', 'C:\\evil', 'a//b', 'bad\u0000name', 'x'.repeat(300)]) {
      const response = await postJson(`${idle.server.url}/api/charts/generate`, { option: BAR_OPTION, ossPath });
      await expectProblem(response, { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
    }
    assert.equal((await idle.queue.counts()).pending, 0);
  });

  it('answers 404 for unknown tasks and images', async () => {
    await expectProblem(await fetch(`${farm.server.url}/api/charts/status/00000000-0000-4000-8000-000000000000`), {
      status: 404,
      type: 'VALIDATION_ERROR',
      reason: 'NOT_FOUND',
    });
    await expectProblem(await fetch(`${farm.server.url}/api/images/not-a-task`), { status: 404, type: 'VALIDATION_ERROR', reason: 'NOT_FOUND' });
  });

  it('answers the image URL (the farm\'s own on local disk) and redirects to it with ?redirect=true', async () => {
    const { envelope } = await submit(farm.server, { option: BAR_OPTION, width: 200, height: 120, ossPath: 'url-test' });
    const taskId = envelope.data!.taskId;
    const pending = (await submit(idle.server, { option: BAR_OPTION })).envelope.data!.taskId;
    await expectProblem(await fetch(`${idle.server.url}/api/images/${pending}/url`), { status: 404, type: 'VALIDATION_ERROR', reason: 'NOT_FOUND' });
    await fetch(`${idle.server.url}/api/charts/tasks/${pending}`, { method: 'DELETE' });
    await waitFor(farm.server, taskId, 'completed');

    const answer = await fetch(`${farm.server.url}/api/images/${taskId}/url`);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.deepEqual((await readEnvelope(answer)).data, { url: `/api/images/${taskId}`, expiresAt: null });

    const redirect = await fetch(`${farm.server.url}/api/images/${taskId}?redirect=true`, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), `/api/images/${taskId}`);
    const followed = await fetch(`${farm.server.url}/api/images/${taskId}?redirect=1`);
    assert.equal(followed.status, 200);
    assert.equal(followed.headers.get('content-type'), 'image/png');
    assert.deepEqual([decodePng(Buffer.from(await followed.arrayBuffer())).width], [200]);

    await expectProblem(await fetch(`${farm.server.url}/api/images/${taskId}?redirect=maybe`), { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
    await expectProblem(await fetch(`${farm.server.url}/api/images/not-a-task/url`), { status: 404, type: 'VALIDATION_ERROR', reason: 'NOT_FOUND' });
    const storage = (await readEnvelope<{ store: { driver: string }; urlCache: unknown }>(await fetch(`${farm.server.url}/api/system/storage`))).data!;
    assert.deepEqual([storage.store.driver, storage.urlCache], ['local', null]);
  });

  it('refuses new tasks with 503 SHUTTING_DOWN while stopping', async () => {
    idle.accepting = false;
    try {
      const response = await postJson(`${idle.server.url}/api/charts/generate`, { option: BAR_OPTION });
      await expectProblem(response, { status: 503, type: 'SYSTEM_ERROR', reason: 'SHUTTING_DOWN' });
    } finally {
      idle.accepting = true;
    }
  });

  it('shows the worker and the queue counts', async () => {
    const workers = (await readEnvelope<{ workers: { workerId: string; concurrency: number }[] }>(await fetch(`${farm.server.url}/api/system/workers`))).data!;
    assert.deepEqual(workers.workers.map((worker) => worker.workerId), [farm.consumer.workerId]);
    const status = (await readEnvelope<Record<string, number>>(await fetch(`${farm.server.url}/api/system/queue-status`))).data!;
    assert.ok(status.totalProcessed! >= 2);
    assert.ok(status.averageProcessingTime! > 0);
    assert.equal(status.capacity, 10);
  });
});
