/**
 * The Redis backend against a real Redis (TEST_REDIS_URL, default 127.0.0.1:6379): the shared contract
 * suite, then what only a shared queue can do — several "hosts" (queue instances with their own
 * connections, and a child process) consuming, cancelling and watching the same tasks. Every test
 * uses its own key prefix and deletes its keys at the end.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, afterEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import { systemError } from '../../errors/farm-error.js';
import { createRedisTaskQueue, type RedisTaskQueueOptions } from '../../tasks/redis/redis-task-queue.js';
import type { ConsumerOptions, TaskConsumer, TaskHandler, TaskQueue } from '../../tasks/task-queue.js';
import type { TaskRecord, TaskStatus } from '../../tasks/task.js';
import { newTask, outcomeFor, taskQueueContract, waitForStatus } from '../contract/task-queue.contract.js';
import { deleteKeysBelow, TEST_REDIS_URL } from '../helpers/redis.js';

const REDIS_URL = TEST_REDIS_URL;
/** Short lock and stall check, so a killed worker's task moves on within seconds. */
const FAST_RECOVERY = { lockDurationMs: 2_000, stalledIntervalMs: 1_000 } as const;
const STUCK_WORKER = fileURLToPath(new URL('../fixtures/redis-stuck-worker.ts', import.meta.url));

/** Silent unless TEST_LOG_LEVEL says otherwise. */
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const admin = new Redis(REDIS_URL);
after(() => admin.quit());

function newPrefix(): string {
  return `farm-test-${randomUUID().slice(0, 8)}`;
}

const deleteKeys = (prefix: string): Promise<void> => deleteKeysBelow(admin, prefix);

/** A queue with the short timings of these tests. */
function connect(prefix: string, options: Partial<RedisTaskQueueOptions> = {}): Promise<TaskQueue> {
  return createRedisTaskQueue({ url: REDIS_URL, prefix, logger, heartbeatMs: 200, ...FAST_RECOVERY, ...options });
}

/** A queue whose `close` also deletes the keys of its prefix. */
async function openQueue(prefix: string): Promise<TaskQueue> {
  const queue = await connect(prefix);
  const close = queue.close.bind(queue);
  return Object.assign(queue, {
    async close() {
      await close();
      await deleteKeys(prefix);
    },
  });
}

function consumerOptions(overrides: Partial<ConsumerOptions> = {}): ConsumerOptions {
  return { workerId: `worker-${randomUUID().slice(0, 8)}`, concurrency: 1, retryAttempts: 3, backoffMs: 20, taskTimeoutMs: 10_000, ...overrides };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}: not reached within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await sleep(25);
  }
}

/** A handler that runs until its signal aborts, and reports when it started. */
function blockingHandler(): { handler: TaskHandler; started: Promise<TaskRecord>; aborted: () => boolean } {
  let aborted = false;
  let started!: (task: TaskRecord) => void;
  const startedPromise = new Promise<TaskRecord>((resolve) => (started = resolve));
  const handler: TaskHandler = (task, signal) =>
    new Promise((_, reject) => {
      started(task);
      signal.addEventListener('abort', () => {
        aborted = true;
        reject(new Error('aborted'));
      });
    });
  return { handler, started: startedPromise, aborted: () => aborted };
}

taskQueueContract('redis', () => openQueue(newPrefix()));

describe('Redis task queue across hosts', () => {
  const cleanups: (() => Promise<void>)[] = [];
  /** Queues (the "hosts") of one test, all on one prefix; closed after the test. */
  async function hosts(count: number, options: Partial<RedisTaskQueueOptions> = {}): Promise<{ prefix: string; queues: TaskQueue[] }> {
    const prefix = newPrefix();
    const queues: TaskQueue[] = [];
    for (let i = 0; i < count; i += 1) queues.push(await connect(prefix, options));
    cleanups.push(async () => {
      await Promise.all(queues.map((queue) => queue.close()));
      await deleteKeys(prefix);
    });
    return { prefix, queues };
  }

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('two consumers on two hosts complete 200 tasks, each exactly once', async () => {
    const [a, b] = (await hosts(2)).queues as [TaskQueue, TaskQueue];
    const handledBy = new Map<string, string[]>();
    const finals: TaskRecord[] = [];
    const consumerOn = (queue: TaskQueue, workerId: string): TaskConsumer =>
      queue.consume(
        async (task) => {
          handledBy.set(task.taskId, [...(handledBy.get(task.taskId) ?? []), workerId]);
          await sleep(Math.random() * 5);
          return outcomeFor(task);
        },
        consumerOptions({ workerId, concurrency: 4, onFinal: (task) => finals.push(task) }),
      );
    consumerOn(a, 'host-a');
    consumerOn(b, 'host-b');
    const submitted: string[] = [];
    for (let i = 0; i < 200; i += 1) submitted.push((await (i % 2 ? a : b).submit(newTask(), { maxPending: 1000 })).task.taskId);
    await eventually(() => a.counts(), (counts) => counts.completed === 200, 20_000, '200 tasks completed');

    for (const taskId of submitted) {
      const record = await b.get(taskId);
      assert.equal(record?.status, 'completed');
      assert.deepEqual(handledBy.get(taskId), [record.workerId], `task ${taskId} ran once, on the worker its record names`);
    }
    assert.equal(finals.length, 200);
    const perHost = (workerId: string) => finals.filter((task) => task.workerId === workerId).length;
    assert.ok(perHost('host-a') > 0 && perHost('host-b') > 0, `both hosts worked (a: ${perHost('host-a')}, b: ${perHost('host-b')})`);
    const counts = await b.counts();
    assert.equal(counts.totalProcessed, 200);
    assert.equal(counts.pending + counts.processing, 0);
    assert.deepEqual(await admin.keys('bull:render:*'), [], "BullMQ's keys are under the farm's prefix too");
  });

  it('hands the task of a worker killed with SIGKILL to another worker, which completes it once', async () => {
    const { prefix, queues } = await hosts(1, { workerLivenessMs: 1_500, cancelWaitMs: 1_000 });
    const queue = queues[0]!;
    const doomed = await startStuckWorker(prefix, 'doomed', 2);
    const { task } = await queue.submit(newTask(), { maxPending: 100 });
    const abandoned = (await queue.submit(newTask(), { maxPending: 100 })).task;
    const statuses: TaskStatus[] = [];
    const unwatch = await queue.watch(task.taskId, (update) => statuses.push(update.status));
    await doomed.started(task.taskId);
    await doomed.started(abandoned.taskId);
    assert.equal((await queue.get(task.taskId))?.workerId, 'doomed');
    assert.ok((await queue.workers()).some((worker) => worker.workerId === 'doomed'));

    await killed(doomed.child);
    const killedAt = Date.now();
    // Nobody answers a cancel for a task of a dead worker: it is recorded after cancelWaitMs.
    const cancelled = await queue.cancel(abandoned.taskId);
    assert.equal(cancelled?.status, 'cancelled');
    const ran: string[] = [];
    const finals: TaskRecord[] = [];
    queue.consume(
      async (t) => {
        ran.push(t.taskId);
        return outcomeFor(t);
      },
      consumerOptions({ workerId: 'survivor', concurrency: 2, onFinal: (t) => finals.push(t) }),
    );
    const done = await waitForStatus(queue, task.taskId, 'completed', 15_000);
    const recoveryMs = Date.now() - killedAt;
    await sleep(500);
    await unwatch();

    assert.equal(done.workerId, 'survivor');
    assert.deepEqual(ran, [task.taskId], 'the recovered task ran once; the cancelled one not at all');
    assert.deepEqual(finals.map((t) => t.taskId), [task.taskId]);
    assert.deepEqual(done.attempts, [], 'losing a worker is no failed attempt');
    assert.deepEqual(statuses.filter((status) => status === 'completed'), ['completed'], 'completed exactly once');
    assert.equal((await queue.get(abandoned.taskId))?.status, 'cancelled');
    const counts = await queue.counts();
    assert.deepEqual([counts.completed, counts.cancelled, counts.totalProcessed], [1, 1, 2]);
    assert.ok(recoveryMs < FAST_RECOVERY.lockDurationMs + 3 * FAST_RECOVERY.stalledIntervalMs + 2_000, `recovered in ${recoveryMs} ms`);
    const workerIds = (await queue.workers()).map((worker) => worker.workerId);
    assert.deepEqual(workerIds, ['survivor'], 'the killed worker fell out of the list after its heartbeats stopped');
  });

  it('fails a task that lost more workers than maxStalledCount instead of leaving it processing', async () => {
    const { prefix, queues } = await hosts(1, { maxStalledCount: 0 });
    const queue = queues[0]!;
    const doomed = await startStuckWorker(prefix, 'doomed', 1);
    const { task } = await queue.submit(newTask(), { maxPending: 100 });
    await doomed.started(task.taskId);
    await killed(doomed.child);
    let ran = false;
    const finals: TaskRecord[] = [];
    queue.consume(
      async (t) => {
        ran = true;
        return outcomeFor(t);
      },
      consumerOptions({ onFinal: (t) => finals.push(t) }),
    );
    const failed = await waitForStatus(queue, task.taskId, 'failed', 15_000);
    assert.equal(ran, false);
    assert.equal(failed.error?.type, 'SYSTEM_ERROR');
    assert.match(failed.error?.message ?? '', /stopped its worker too often/);
    assert.deepEqual(finals.map((t) => t.status), ['failed']);
  });

  it('cancels a running task from another host: the holder aborts it and records the cancellation', async () => {
    const [worker, api] = (await hosts(2, { cancelWaitMs: 10_000 })).queues as [TaskQueue, TaskQueue];
    const blocking = blockingHandler();
    const finals: TaskRecord[] = [];
    worker.consume(blocking.handler, consumerOptions({ workerId: 'holder', onFinal: (task) => finals.push(task) }));
    const { task } = await api.submit(newTask(), { maxPending: 100 });
    await blocking.started;
    await waitForStatus(api, task.taskId, 'processing');

    const startedAt = Date.now();
    const cancelled = await api.cancel(task.taskId);
    assert.ok(Date.now() - startedAt < 2_000, 'the holder answered; cancel did not wait for its own deadline');
    assert.equal(cancelled?.status, 'cancelled');
    assert.equal(cancelled?.error?.reason, 'CANCELLED');
    assert.equal(cancelled?.workerId, 'holder');
    assert.ok(blocking.aborted(), "the holder's handler was aborted");
    assert.deepEqual(finals.map((t) => t.status), ['cancelled'], 'the holder recorded it');
    assert.deepEqual(await worker.get(task.taskId), cancelled);
    assert.equal((await worker.counts()).cancelled, 1);
  });

  it('delivers every status change to watchers on every host, in order', async () => {
    const [a, b] = (await hosts(2)).queues as [TaskQueue, TaskQueue];
    const { task } = await a.submit(newTask(), { maxPending: 100 });
    const seenOnA: TaskStatus[] = [];
    const seenOnB: TaskRecord[] = [];
    const stopA = await a.watch(task.taskId, (update) => seenOnA.push(update.status));
    const stopB = await b.watch(task.taskId, (update) => seenOnB.push(update));
    let calls = 0;
    const consumer = a.consume(async (t) => {
      calls += 1;
      if (calls === 1) throw systemError('BROWSER_CRASHED', 'crash');
      return outcomeFor(t);
    }, consumerOptions());
    await waitForStatus(b, task.taskId, 'completed');
    await eventually(async () => seenOnB.length, (length) => length === 4, 2_000, 'four events on host b');
    await stopA();
    await stopB();
    const expected: TaskStatus[] = ['processing', 'pending', 'processing', 'completed'];
    assert.deepEqual(seenOnB.map((update) => update.status), expected);
    assert.deepEqual(seenOnA, expected);
    assert.equal(seenOnB[1]?.attempts.length, 1, 'each event carries the record as it was then');
    assert.deepEqual(seenOnB[3], await b.get(task.taskId));

    await consumer.close(0);
    const waiting = (await b.submit(newTask(), { maxPending: 100 })).task;
    const seenOfCancel: TaskStatus[] = [];
    const stop = await a.watch(waiting.taskId, (update) => seenOfCancel.push(update.status));
    await b.cancel(waiting.taskId);
    await eventually(async () => seenOfCancel, (list) => list.length === 1, 2_000, 'the cancel event on host a');
    await stop();
    assert.deepEqual(seenOfCancel, ['cancelled']);
  });

  it('lists the workers of every host with their heartbeats, and drops one that closed', async () => {
    const [a, b] = (await hosts(2)).queues as [TaskQueue, TaskQueue];
    a.consume(async (task) => outcomeFor(task), consumerOptions({ workerId: 'worker-a', concurrency: 2 }));
    const leaving = b.consume(async (task) => outcomeFor(task), consumerOptions({ workerId: 'worker-b', concurrency: 3 }));
    const both = await eventually(() => a.workers(), (workers) => workers.length === 2, 5_000, 'two workers');
    assert.deepEqual(
      both.map((worker) => [worker.workerId, worker.concurrency, worker.pid]),
      [
        ['worker-a', 2, process.pid],
        ['worker-b', 3, process.pid],
      ],
    );
    const first = both[1]!.lastHeartbeat;
    await eventually(() => a.workers(), (workers) => (workers[1]?.lastHeartbeat ?? '') > first, 2_000, 'a later heartbeat of worker-b');
    await leaving.close(1_000);
    assert.deepEqual((await a.workers()).map((worker) => worker.workerId), ['worker-a']);
  });

  it('gives a task back from a closing worker to an idle worker on another host', async () => {
    const [leaving, staying] = (await hosts(2, { idlePollMs: 500 })).queues as [TaskQueue, TaskQueue];
    const blocking = blockingHandler();
    const closing = leaving.consume(blocking.handler, consumerOptions({ workerId: 'leaving' }));
    const { task } = await leaving.submit(newTask(), { maxPending: 100 });
    await blocking.started;
    staying.consume(async (t) => outcomeFor(t), consumerOptions({ workerId: 'staying' }));
    await sleep(300); // 'staying' is idle, blocked waiting for a job
    await closing.close(100);
    assert.equal((await staying.get(task.taskId))?.status, 'pending');
    const done = await waitForStatus(staying, task.taskId, 'completed', 3_000);
    assert.equal(done.workerId, 'staying');
    assert.deepEqual(done.attempts, []);
  });

  it("lists one owner's tasks in one status, newest first, page by page", async () => {
    const [queue] = (await hosts(1)).queues as [TaskQueue];
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push((await queue.submit(newTask({ owner: i % 3 ? 'bob' : 'alice' }), { maxPending: 100 })).task.taskId);
    for (const i of [0, 3, 4, 9]) await queue.cancel(ids[i]!);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await queue.list({ owner: 'alice', status: 'cancelled', limit: 1, cursor });
      seen.push(...page.tasks.map((task) => task.taskId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    assert.deepEqual(seen, [ids[9], ids[3], ids[0]]);
  });

  it('expires a task with its idempotency key and result cache entry', async () => {
    const { prefix, queues } = await hosts(1);
    const queue = queues[0]!;
    queue.consume(async (task) => outcomeFor(task), consumerOptions());
    const { task } = await queue.submit(newTask({ idempotencyKey: 'order-7', requestHash: 'hash-7' }), { maxPending: 100 });
    await waitForStatus(queue, task.taskId, 'completed');
    assert.equal((await queue.findCompleted('hash-7', 'fp-test'))?.taskId, task.taskId);
    assert.deepEqual((await queue.expire(new Date(Date.now() + 1_000))).map((t) => t.taskId), [task.taskId]);
    assert.equal(await queue.findCompleted('hash-7', 'fp-test'), null);
    const again = await queue.submit(newTask({ idempotencyKey: 'order-7' }), { maxPending: 100 });
    assert.equal(again.existing, false, 'the idempotency key went with the task');
    const farmKeys = (await admin.keys(`${prefix}:*`)).filter((key) => !key.startsWith(`${prefix}:render:`));
    assert.ok(!farmKeys.some((key) => key.includes(task.taskId) || key.includes('hash-7')), `nothing of the expired task is left: ${farmKeys.join(', ')}`);
  });

  it('lets running tasks finish within the grace period of close', async () => {
    const [queue] = (await hosts(1)).queues as [TaskQueue];
    const consumer = queue.consume(async (task) => {
      await sleep(300);
      return outcomeFor(task);
    }, consumerOptions());
    const { task } = await queue.submit(newTask(), { maxPending: 100 });
    await waitForStatus(queue, task.taskId, 'processing');
    await consumer.close(5_000);
    assert.equal((await queue.get(task.taskId))?.status, 'completed');
  });
});

/** A worker process that takes tasks and never finishes them (test/fixtures/redis-stuck-worker.ts). */
interface StuckWorker {
  child: ChildProcess;
  /** Resolves once the worker has started this task. */
  started(taskId: string): Promise<void>;
}

async function startStuckWorker(prefix: string, workerId: string, concurrency: number): Promise<StuckWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', STUCK_WORKER], {
    env: {
      ...process.env,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      WORKER_ID: workerId,
      CONCURRENCY: String(concurrency),
      LOCK_DURATION_MS: String(FAST_RECOVERY.lockDurationMs),
      STALLED_INTERVAL_MS: String(FAST_RECOVERY.stalledIntervalMs),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  const messages: { started?: string; ready?: boolean }[] = [];
  child.on('message', (message: { started?: string; ready?: boolean }) => messages.push(message));
  await eventually(async () => messages, (list) => list.some((message) => message.ready), 15_000, `worker process ${workerId} is up`);
  return {
    child,
    async started(taskId) {
      await eventually(async () => messages, (list) => list.some((message) => message.started === taskId), 10_000, `${workerId} took ${taskId}`);
    },
  };
}

/** Worker processes of this file, killed at the end whatever happened. */
const children = new Set<ChildProcess>();
after(() => Promise.all([...children].map(killed)));

/** Kills the child with SIGKILL (if still running) and waits for it to exit. */
async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
