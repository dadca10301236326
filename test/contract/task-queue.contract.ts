/**
 * The behaviour every TaskQueue backend owes (tasks/task-queue.ts). Each backend's test file calls
 * `taskQueueContract` with a factory that makes a fresh, isolated queue. Handlers here are plain
 * functions: the queue's semantics, not rendering, are under test.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { FarmError, processingError, systemError } from '../../errors/farm-error.js';
import { parseRenderRequest } from '../../renderer/render-request.js';
import type { ConsumerOptions, NewTask, TaskConsumer, TaskHandler, TaskOutcome, TaskQueue } from '../../tasks/task-queue.js';
import type { TaskPriority, TaskRecord, TaskStatus } from '../../tasks/task.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function newTask(overrides: Partial<NewTask> = {}): NewTask {
  return {
    owner: 'alice',
    priority: 'normal',
    config: { render: parseRenderRequest({ option: { series: [] } }, { allowFunctions: false }), ossPath: null },
    idempotencyKey: null,
    callbackUrl: null,
    requestHash: randomUUID(),
    ...overrides,
  };
}

export function outcomeFor(task: TaskRecord): TaskOutcome {
  return {
    objectKey: `charts/${task.taskId}.png`,
    imageUrl: `/api/images/${task.taskId}`,
    fileName: `${task.taskId}.png`,
    contentType: 'image/png',
    bytes: 123,
    fingerprint: 'fp-test',
    cached: false,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves with the record once the task reaches `status` (polling `get`: works on any backend). */
export async function waitForStatus(queue: TaskQueue, taskId: string, status: TaskStatus, timeoutMs = 10_000): Promise<TaskRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await queue.get(taskId);
    if (task?.status === status) return task;
    if (Date.now() > deadline) assert.fail(`task ${taskId} is ${task?.status ?? 'gone'}${task?.error ? ` (${task.error.reason}: ${task.error.message})` : ''}, not ${status}, after ${timeoutMs} ms`);
    await sleep(20);
  }
}

export function taskQueueContract(name: string, makeQueue: () => Promise<TaskQueue>): void {
  describe(`TaskQueue contract: ${name}`, () => {
    const open: { queue: TaskQueue; consumers: TaskConsumer[] }[] = [];

    async function setup(): Promise<{ queue: TaskQueue; consume: (handler: TaskHandler, options?: Partial<ConsumerOptions>) => TaskConsumer }> {
      const queue = await makeQueue();
      const entry = { queue, consumers: [] as TaskConsumer[] };
      open.push(entry);
      return {
        queue,
        consume(handler, options = {}) {
          const consumer = queue.consume(handler, {
            workerId: `worker-${randomUUID().slice(0, 8)}`,
            concurrency: 1,
            retryAttempts: 3,
            backoffMs: 20,
            taskTimeoutMs: 10_000,
            ...options,
          });
          entry.consumers.push(consumer);
          return consumer;
        },
      };
    }

    afterEach(async () => {
      for (const { queue, consumers } of open.splice(0)) {
        await Promise.all(consumers.map((consumer) => consumer.close(0)));
        await queue.close();
      }
    });

    it('stores a submitted task as pending with every field of the contract', async () => {
      const { queue } = await setup();
      const { task, existing } = await queue.submit(newTask({ priority: 'high', callbackUrl: 'http://127.0.0.1:9/hook' }), { maxPending: 100 });
      assert.equal(existing, false);
      assert.match(task.taskId, UUID_V4);
      assert.match(task.createdAt, ISO_UTC);
      assert.deepEqual(
        { ...task, taskId: undefined, createdAt: undefined, config: undefined, requestHash: undefined },
        {
          taskId: undefined,
          status: 'pending',
          priority: 'high',
          owner: 'alice',
          config: undefined,
          createdAt: undefined,
          startedAt: null,
          completedAt: null,
          imageUrl: null,
          fileName: null,
          objectKey: null,
          contentType: null,
          bytes: null,
          error: null,
          retryCount: 0,
          attempts: [],
          durationMs: null,
          fingerprint: null,
          cached: false,
          idempotencyKey: null,
          callbackUrl: 'http://127.0.0.1:9/hook',
          workerId: null,
          requestHash: undefined,
        },
      );
      assert.deepEqual(await queue.get(task.taskId), task);
      assert.equal(await queue.get(randomUUID()), null);
    });

    it('completes a task through a consumer, in time order, and counts it', async () => {
      const { queue, consume } = await setup();
      const finals: TaskRecord[] = [];
      const consumer = consume(async (task) => outcomeFor(task), { onFinal: (task) => finals.push(task) });
      const { task } = await queue.submit(newTask(), { maxPending: 100 });
      const done = await waitForStatus(queue, task.taskId, 'completed');
      assert.equal(done.workerId, consumer.workerId);
      assert.equal(done.imageUrl, `/api/images/${task.taskId}`);
      assert.equal(done.fingerprint, 'fp-test');
      assert.ok(done.createdAt <= done.startedAt! && done.startedAt! <= done.completedAt!, 'createdAt ≤ startedAt ≤ completedAt');
      assert.equal(typeof done.durationMs, 'number');
      assert.equal(finals.length, 1);
      assert.equal(finals[0]!.status, 'completed');
      const counts = await queue.counts();
      assert.equal(counts.completed, 1);
      assert.equal(counts.totalProcessed, 1);
      assert.equal(counts.pending + counts.processing, 0);
    });

    it('serves high before normal before low, first in first out within one priority', async () => {
      const { queue, consume } = await setup();
      const order: string[] = [];
      const labels = new Map<string, string>();
      const plan: [string, TaskPriority][] = [['low-1', 'low'], ['normal-1', 'normal'], ['high-1', 'high'], ['low-2', 'low'], ['high-2', 'high'], ['normal-2', 'normal']];
      for (const [label, priority] of plan) {
        const { task } = await queue.submit(newTask({ priority }), { maxPending: 100 });
        labels.set(task.taskId, label);
      }
      consume(async (task) => {
        order.push(labels.get(task.taskId)!);
        return outcomeFor(task);
      });
      for (const taskId of labels.keys()) await waitForStatus(queue, taskId, 'completed');
      assert.deepEqual(order, ['high-1', 'high-2', 'normal-1', 'normal-2', 'low-1', 'low-2']);
    });

    it('retries retryable failures with backoff, keeping each attempt', async () => {
      const { queue, consume } = await setup();
      let calls = 0;
      consume(async (task) => {
        calls += 1;
        if (calls <= 2) throw systemError('BROWSER_CRASHED', `crash ${calls}`);
        return outcomeFor(task);
      });
      const { task } = await queue.submit(newTask(), { maxPending: 100 });
      const done = await waitForStatus(queue, task.taskId, 'completed');
      assert.equal(done.retryCount, 2);
      assert.deepEqual(done.attempts.map((attempt) => [attempt.attempt, attempt.reason, attempt.message]), [
        [1, 'BROWSER_CRASHED', 'crash 1'],
        [2, 'BROWSER_CRASHED', 'crash 2'],
      ]);
    });

    it('fails at once on an error that is not retryable', async () => {
      const { queue, consume } = await setup();
      let calls = 0;
      consume(async () => {
        calls += 1;
        throw processingError('RENDER_FAILED', 'bad option');
      });
      const { task } = await queue.submit(newTask(), { maxPending: 100 });
      const failed = await waitForStatus(queue, task.taskId, 'failed');
      assert.equal(calls, 1);
      assert.equal(failed.retryCount, 0);
      assert.equal(failed.error?.reason, 'RENDER_FAILED');
      assert.equal(failed.attempts.length, 1);
      assert.ok(failed.completedAt);
      assert.deepEqual(await queue.failedTaskIds(), [task.taskId]);
    });

    it('fails after QUEUE_RETRY_ATTEMPTS retries, and runs again when requeued', async () => {
      const { queue, consume } = await setup();
      let crash = true;
      consume(
        async (task) => {
          if (crash) throw systemError('BROWSER_CRASHED', 'crash');
          return outcomeFor(task);
        },
        { retryAttempts: 2 },
      );
      const { task } = await queue.submit(newTask(), { maxPending: 100 });
      const failed = await waitForStatus(queue, task.taskId, 'failed');
      assert.equal(failed.retryCount, 2);
      assert.equal(failed.attempts.length, 3);
      crash = false;
      const requeued = await queue.requeue(task.taskId);
      assert.equal(requeued?.status, 'pending');
      const done = await waitForStatus(queue, task.taskId, 'completed');
      assert.equal(done.attempts.length, 3, 'earlier attempts are kept');
    });

    it('ends a task that runs past the task timeout as failed with TASK_TIMEOUT', async () => {
      const { queue, consume } = await setup();
      let aborted = false;
      consume(
        (task, signal) =>
          new Promise((resolve) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              setTimeout(() => resolve(outcomeFor(task)), 10);
            });
          }),
        { taskTimeoutMs: 200 },
      );
      const { task } = await queue.submit(newTask(), { maxPending: 100 });
      const failed = await waitForStatus(queue, task.taskId, 'failed');
      assert.equal(failed.error?.reason, 'TASK_TIMEOUT');
      assert.equal(failed.retryCount, 0);
      assert.ok(aborted, 'the handler was told to stop');
    });

    it('cancels a pending task at once; it never runs', async () => {
      const { queue, consume } = await setup();
      const { task } = await queue.submit(newTask(), { maxPending: 100 });
      const cancelled = await queue.cancel(task.taskId);
      assert.equal(cancelled?.status, 'cancelled');
      assert.equal(cancelled?.error?.reason, 'CANCELLED');
      let ran = false;
      consume(async (t) => {
        ran = true;
        return outcomeFor(t);
      });
      await sleep(200);
      assert.equal(ran, false);
      assert.equal((await queue.get(task.taskId))?.status, 'cancelled');
    });

    it('cancels a running task by aborting its handler', async () => {
      const { queue, consume } = await setup();
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      let aborted = false;
      consume(
        (task, signal) =>
          new Promise((_, reject) => {
            started();
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('aborted'));
            });
          }),
      );
      const { task } = await queue.submit(newTask(), { maxPending: 100 });
      await running;
      await queue.cancel(task.taskId);
      const cancelled = await waitForStatus(queue, task.taskId, 'cancelled');
      assert.ok(aborted);
      assert.equal(cancelled.error?.reason, 'CANCELLED');
      assert.ok(cancelled.completedAt);
    });

    it('leaves a finished task as it is when cancelled', async () => {
      const { queue, consume } = await setup();
      consume(async (task) => outcomeFor(task));
      const { task } = await queue.submit(newTask(), { maxPending: 100 });
      const done = await waitForStatus(queue, task.taskId, 'completed');
      assert.deepEqual(await queue.cancel(task.taskId), done);
      assert.equal(await queue.cancel(randomUUID()), null);
    });

    it('returns the same task for the same idempotency key of the same owner', async () => {
      const { queue } = await setup();
      const first = await queue.submit(newTask({ idempotencyKey: 'order-42' }), { maxPending: 100 });
      const again = await queue.submit(newTask({ idempotencyKey: 'order-42' }), { maxPending: 100 });
      const otherOwner = await queue.submit(newTask({ idempotencyKey: 'order-42', owner: 'bob' }), { maxPending: 100 });
      assert.equal(again.existing, true);
      assert.equal(again.task.taskId, first.task.taskId);
      assert.equal(otherOwner.existing, false);
      assert.notEqual(otherOwner.task.taskId, first.task.taskId);
      assert.equal((await queue.counts()).pending, 2);
    });

    it('refuses a submission past QUEUE_MAX_PENDING with QUEUE_FULL, storing nothing', async () => {
      const { queue } = await setup();
      await queue.submit(newTask(), { maxPending: 2 });
      await queue.submit(newTask(), { maxPending: 2 });
      await assert.rejects(queue.submit(newTask(), { maxPending: 2 }), (error: unknown) => {
        assert.ok(error instanceof FarmError);
        assert.equal(error.reason, 'QUEUE_FULL');
        assert.equal(error.status, 503);
        return true;
      });
      assert.equal((await queue.counts()).pending, 2);
    });

    it('holds QUEUE_MAX_PENDING under concurrent submissions', async () => {
      const { queue } = await setup();
      const outcomes = await Promise.allSettled(Array.from({ length: 40 }, () => queue.submit(newTask(), { maxPending: 10 })));
      assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 10);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') assert.equal((outcome.reason as FarmError).reason, 'QUEUE_FULL');
      }
      assert.equal((await queue.counts()).pending, 10);
    });

    it('lists newest first, filtered by owner and status, page by page', async () => {
      const { queue } = await setup();
      const ids: string[] = [];
      for (let i = 0; i < 7; i += 1) ids.push((await queue.submit(newTask({ owner: i % 2 ? 'bob' : 'alice' }), { maxPending: 100 })).task.taskId);
      await queue.cancel(ids[2]!);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await queue.list({ owner: 'alice', limit: 2, cursor });
        assert.ok(page.tasks.length <= 2);
        seen.push(...page.tasks.map((task) => task.taskId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(seen, [ids[6], ids[4], ids[2], ids[0]]);
      const cancelled = await queue.list({ status: 'cancelled', limit: 10 });
      assert.deepEqual(cancelled.tasks.map((task) => task.taskId), [ids[2]]);
      assert.equal(cancelled.nextCursor, null);
    });

    it('tells watchers of every status change, in order', async () => {
      const { queue, consume } = await setup();
      const { task } = await queue.submit(newTask(), { maxPending: 100 });
      const statuses: TaskStatus[] = [];
      const stop = await queue.watch(task.taskId, (update) => statuses.push(update.status));
      consume(async (t) => outcomeFor(t));
      await waitForStatus(queue, task.taskId, 'completed');
      await sleep(100);
      await stop();
      assert.deepEqual(statuses, ['processing', 'completed']);
    });

    it('gives running tasks back as pending when a consumer closes past its grace, and another finishes them', async () => {
      const { queue, consume } = await setup();
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const slow = consume(
        (task, signal) =>
          new Promise((resolve, reject) => {
            started();
            signal.addEventListener('abort', () => reject(new Error('stopped')));
            void task;
            void resolve;
          }),
      );
      const { task } = await queue.submit(newTask(), { maxPending: 100 });
      await running;
      await slow.close(100);
      const back = await queue.get(task.taskId);
      assert.equal(back?.status, 'pending');
      assert.equal(back?.attempts.length, 0, 'giving back is no failed attempt');
      consume(async (t) => outcomeFor(t));
      await waitForStatus(queue, task.taskId, 'completed');
    });

    it('serves the result cache and stores completed results without queueing them', async () => {
      const { queue } = await setup();
      const input = newTask({ requestHash: 'hash-1' });
      assert.equal(await queue.findCompleted('hash-1', 'fp-test'), null);
      const stored = await queue.submitCompleted(input, { ...outcomeFor({ taskId: 'x' } as TaskRecord), cached: true });
      assert.equal(stored.status, 'completed');
      assert.equal(stored.cached, true);
      assert.equal((await queue.findCompleted('hash-1', 'fp-test'))?.taskId, stored.taskId);
      assert.equal(await queue.findCompleted('hash-1', 'another-fingerprint'), null);
      assert.equal((await queue.counts()).pending, 0);
    });

    it('expires final tasks created before the cutoff, and only those', async () => {
      const { queue, consume } = await setup();
      consume(async (task) => outcomeFor(task));
      const done = (await queue.submit(newTask(), { maxPending: 100 })).task;
      await waitForStatus(queue, done.taskId, 'completed');
      const cutoff = new Date(Date.now() + 1000);
      const expired = await queue.expire(cutoff);
      assert.deepEqual(expired.map((task) => task.taskId), [done.taskId]);
      assert.equal(await queue.get(done.taskId), null);
      assert.deepEqual(await queue.expire(cutoff), []);
    });

    it('tells when the oldest pending task was created, and null once none is pending', async () => {
      const { queue, consume } = await setup();
      assert.equal(await queue.oldestPendingCreatedAt(), null);
      const first = (await queue.submit(newTask({ priority: 'low' }), { maxPending: 100 })).task;
      await sleep(5);
      await queue.submit(newTask({ priority: 'high' }), { maxPending: 100 });
      assert.equal(await queue.oldestPendingCreatedAt(), first.createdAt, 'the oldest by creation, whatever its priority');
      consume(async (task) => outcomeFor(task), { concurrency: 2 });
      await waitForStatus(queue, first.taskId, 'completed');
      for (let i = 0; i < 100 && (await queue.oldestPendingCreatedAt()) !== null; i += 1) await sleep(20);
      assert.equal(await queue.oldestPendingCreatedAt(), null);
    });

    it('lists its live workers', async () => {
      const { queue, consume } = await setup();
      const consumer = consume(async (task) => outcomeFor(task), { concurrency: 3 });
      const workers = await waitForWorkers(queue, 1);
      const mine = workers.find((worker) => worker.workerId === consumer.workerId);
      assert.ok(mine);
      assert.equal(mine.concurrency, 3);
      assert.equal(mine.pid, process.pid);
      assert.match(mine.lastHeartbeat, ISO_UTC);
    });
  });
}

async function waitForWorkers(queue: TaskQueue, count: number) {
  for (let i = 0; i < 100; i += 1) {
    const workers = await queue.workers();
    if (workers.length >= count) return workers;
    await sleep(50);
  }
  return queue.workers();
}
