/**
 * Owners take turns within a priority: owner A holds 500 pending tasks, owner B then queues 5, and
 * B's 5 complete before A's next 20. The order of completions is asserted, not their timing.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import { FairDispatch } from '../../tasks/fair-dispatch.js';
import { createRedisTaskQueue } from '../../tasks/redis/redis-task-queue.js';
import { deleteKeysBelow, TEST_REDIS_URL } from '../helpers/redis.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import type { TaskConsumer, TaskHandler, TaskQueue } from '../../tasks/task-queue.js';
import { newTask, outcomeFor, waitForStatus } from '../contract/task-queue.contract.js';

/** Runs `workers` consumers that record the owner of every task they complete, in order. */
async function fairnessScenario(queue: TaskQueue, workers: number): Promise<{ aAfterB: number; bTasks: string[] }> {
  const completed: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const handler: TaskHandler = async (task) => {
    // The first tasks wait until B has queued, so A's backlog is really ahead of B.
    await gate;
    completed.push(task.owner);
    return outcomeFor(task);
  };
  const aTasks: string[] = [];
  for (let index = 0; index < 500; index += 1) aTasks.push((await queue.submit(newTask({ owner: 'owner-a', requestHash: randomUUID() }), { maxPending: 10_000 })).task.taskId);
  const consumers: TaskConsumer[] = [];
  for (let index = 0; index < workers; index += 1) {
    consumers.push(queue.consume(handler, { workerId: `worker-${index}`, concurrency: 1, retryAttempts: 0, backoffMs: 10, taskTimeoutMs: 30_000 }));
  }
  await waitForStatus(queue, aTasks[0]!, 'processing');
  const bTasks: string[] = [];
  for (let index = 0; index < 5; index += 1) bTasks.push((await queue.submit(newTask({ owner: 'owner-b', requestHash: randomUUID() }), { maxPending: 10_000 })).task.taskId);
  const doneBefore = completed.length;
  release();
  for (const taskId of bTasks) await waitForStatus(queue, taskId, 'completed', 30_000);
  // A's completions after B queued, up to B's last: the tasks in flight when B queued may count too.
  const afterB = completed.slice(doneBefore);
  const lastB = afterB.lastIndexOf('owner-b');
  const aAfterB = afterB.slice(0, lastB + 1).filter((owner) => owner === 'owner-a').length;
  for (const consumer of consumers) await consumer.close(1000);
  return { aAfterB, bTasks };
}

function assertTurns({ aAfterB }: { aAfterB: number }, workers: number): void {
  assert.ok(aAfterB < 20, `A completed ${aAfterB} tasks before B's last`);
  // Turns, not just "fewer than 20": one of A's per round of B's, plus what was in flight.
  assert.ok(aAfterB <= 5 + workers, `A completed ${aAfterB} tasks before B's last`);
}

describe('fair dispatch', () => {
  for (const workers of [1, 3]) {
    it(`serves owner B's 5 tasks before owner A's next 20 (memory backend, ${workers} worker${workers > 1 ? 's' : ''})`, async () => {
      const queue = new MemoryTaskQueue();
      try {
        assertTurns(await fairnessScenario(queue, workers), workers);
      } finally {
        await queue.close();
      }
    });
  }

  for (const workers of [1, 2]) {
    it(`serves owner B's 5 tasks before owner A's next 20 (Redis backend, ${workers} worker${workers > 1 ? 's' : ''})`, async () => {
      const prefix = `farm-fair-${randomUUID().slice(0, 8)}`;
      const queue = await createRedisTaskQueue({ url: TEST_REDIS_URL, prefix, logger: pino({ level: 'silent' }), heartbeatMs: 200 });
      const admin = new Redis(TEST_REDIS_URL);
      try {
        assertTurns(await fairnessScenario(queue, workers), workers);
      } finally {
        await queue.close();
        await deleteKeysBelow(admin, prefix);
        await admin.quit();
      }
    });
  }

  it('alternates owners within a priority and keeps priorities first', () => {
    const fair = new FairDispatch();
    const waiting: string[] = [];
    const add = (taskId: string, owner: string) => {
      waiting.push(taskId);
      fair.arrive({ taskId, owner, priority: 'normal' }, false);
    };
    for (const id of ['a1', 'a2', 'a3', 'a4']) add(id, 'a');
    const order: string[] = [];
    const take = () => {
      const [taskId] = waiting.splice(fair.nextIndex(waiting), 1) as [string];
      fair.taken(taskId, 'normal');
      order.push(taskId);
    };
    take();
    add('b1', 'b');
    add('b2', 'b');
    add('c1', 'c');
    while (waiting.length > 0) take();
    assert.deepEqual(order, ['a1', 'a2', 'b1', 'c1', 'a3', 'b2', 'a4']);
  });
});
