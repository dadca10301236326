/**
 * A Redis outage is answered, not waited out: with the farm's Redis stopped (a redis-server of the
 * test's own), the routes that need it answer 503 QUEUE_UNAVAILABLE with Retry-After within 2 s,
 * /readyz fails and /healthz says so, a worker that finished a render keeps its result until Redis
 * returns (the task is not rendered twice), and everything resumes by itself.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createRedisTaskQueue } from '../../tasks/redis/redis-task-queue.js';
import type { TaskQueue } from '../../tasks/task-queue.js';
import type { TaskView } from '../../tasks/task-view.js';
import { newTask, outcomeFor, waitForStatus } from '../contract/task-queue.contract.js';
import { expectProblem, postJson, readEnvelope, startTestServer, type TestServer } from '../helpers/http.js';
import { startOwnRedis, type OwnRedis } from '../helpers/own-redis.js';
import { BAR_OPTION } from '../helpers/renderer.js';

/** Sends a request and measures how long the answer took. */
async function timed(request: () => Promise<Response>): Promise<{ response: Response; ms: number }> {
  const begin = performance.now();
  const response = await request();
  return { response, ms: performance.now() - begin };
}

describe('a Redis outage', () => {
  let redis: OwnRedis;
  let queue: TaskQueue;
  let server: TestServer;
  before(async () => {
    redis = await startOwnRedis();
    queue = await createRedisTaskQueue({ url: redis.url, prefix: `farm-outage-${randomUUID().slice(0, 8)}`, lockDurationMs: 30_000, stalledIntervalMs: 30_000 });
    server = await startTestServer(undefined, {}, { tasks: { queue, accepting: () => true } });
  });
  after(async () => {
    await server?.close();
    await redis?.start().catch(() => undefined);
    await queue?.close();
    await redis?.dispose();
  });

  it('is answered 503 QUEUE_UNAVAILABLE within 2 s, fails /readyz, and the farm resumes by itself', async () => {
    const accepted = (await readEnvelope<TaskView>(await postJson(`${server.url}/api/charts/generate`, { option: BAR_OPTION }))).data!;
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    await redis.stop();

    const requests: [string, () => Promise<Response>][] = [
      ['submit', () => postJson(`${server.url}/api/charts/generate`, { option: BAR_OPTION })],
      ['status', () => fetch(`${server.url}/api/charts/status/${accepted.taskId}`)],
      ['list', () => fetch(`${server.url}/api/charts/tasks`)],
      ['cancel', () => fetch(`${server.url}/api/charts/tasks/${accepted.taskId}`, { method: 'DELETE' })],
    ];
    // Twice: the first request meets the dropped connection, the second a client already reconnecting.
    for (let round = 0; round < 2; round += 1) {
      for (const [name, request] of requests) {
        const { response, ms } = await timed(request);
        assert.ok(ms < 2_000, `${name} answered after ${Math.round(ms)} ms`);
        const envelope = await expectProblem(response, { status: 503, type: 'SYSTEM_ERROR', reason: 'QUEUE_UNAVAILABLE' });
        assert.equal(response.headers.get('retry-after'), '2', name);
        assert.equal(envelope.error?.details?.retryAfterSeconds, 2);
      }
    }
    const ready = await timed(() => fetch(`${server.url}/readyz`));
    assert.ok(ready.ms < 2_000, `readyz answered after ${Math.round(ready.ms)} ms`);
    await expectProblem(ready.response, { status: 503, type: 'SYSTEM_ERROR', reason: 'NOT_READY' });
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200, 'liveness stays: a restart would not bring Redis back');
    assert.equal((await readEnvelope<{ queue: string }>(health)).data?.queue, 'unavailable');

    await redis.start();
    const deadline = Date.now() + 10_000;
    while ((await fetch(`${server.url}/readyz`)).status !== 200) {
      assert.ok(Date.now() < deadline, 'not ready 10 s after Redis returned');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The task accepted before the outage survived it (append-only file), still pending.
    const status = await readEnvelope<TaskView>(await fetch(`${server.url}/api/charts/status/${accepted.taskId}`));
    assert.equal(status.data?.status, 'pending');
    assert.equal((await postJson(`${server.url}/api/charts/generate`, { option: BAR_OPTION })).status, 202);
    assert.equal((await readEnvelope<{ queue: string }>(await fetch(`${server.url}/healthz`))).data?.queue, 'ok');
  });

  it('lets a worker keep the result it finished during the outage: recorded when Redis returns, not rendered twice', async () => {
    const { task } = await queue.submit(newTask(), { maxPending: 100 });
    let renders = 0;
    let releaseRender!: () => void;
    const rendering = new Promise<void>((resolve) => (releaseRender = resolve));
    let renderStarted!: () => void;
    const started = new Promise<void>((resolve) => (renderStarted = resolve));
    const consumer = queue.consume(
      async (record) => {
        // Tasks left pending by the test before are rendered too: count this one's renders only.
        if (record.taskId !== task.taskId) return outcomeFor(record);
        renders += 1;
        renderStarted();
        await rendering;
        return outcomeFor(record);
      },
      { workerId: `outage-${randomUUID().slice(0, 8)}`, concurrency: 1, retryAttempts: 3, backoffMs: 20, taskTimeoutMs: 60_000 },
    );
    try {
      await started;
      await redis.stop();
      // The render ends while Redis is away, and the outage outlasts a client's retries (ioredis'
      // default gives up after about 10 s): the result waits to be written all the same.
      releaseRender();
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      await redis.start();
      const completed = await waitForStatus(queue, task.taskId, 'completed', 15_000);
      assert.equal(completed.retryCount, 0);
      // Long enough for BullMQ to have handed the job out again, had it lost it.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.equal(renders, 1, 'the task was rendered more than once');
    } finally {
      await consumer.close(0);
    }
  });
});
