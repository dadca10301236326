/** `echarts-farm tasks retry`: failed tasks in a real Redis go back to pending, attempts kept. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { processingError } from '../../errors/farm-error.js';
import { packageRoot } from '../../renderer/package-root.js';
import { createRedisTaskQueue } from '../../tasks/redis/redis-task-queue.js';
import { newTask, waitForStatus } from '../contract/task-queue.contract.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';

const prefix = `farm-test-${randomUUID().slice(0, 8)}`;

function farmTasks(args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(packageRoot(), 'cli', 'main.ts'), 'tasks', ...args], {
    cwd: packageRoot(),
    env: { ...process.env, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent' },
    timeout: 30_000,
  });
  return { status: run.status, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
}

describe('echarts-farm tasks retry', () => {
  after(async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('queues one failed task, or every failed task, again', async () => {
    const queue = await createRedisTaskQueue({ url: TEST_REDIS_URL, prefix });
    try {
      const consumer = queue.consume(
        async () => {
          throw processingError('RENDER_FAILED', 'broken chart');
        },
        { workerId: 'failing', concurrency: 2, retryAttempts: 0, backoffMs: 10, taskTimeoutMs: 5000 },
      );
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) ids.push((await queue.submit(newTask(), { maxPending: 100 })).task.taskId);
      for (const id of ids) await waitForStatus(queue, id, 'failed');
      await consumer.close(0);

      const one = farmTasks(['retry', ids[0]!]);
      assert.equal(one.status, 0, one.stderr);
      assert.match(one.stdout, new RegExp(`^${ids[0]} pending$`, 'm'));
      assert.equal((await queue.get(ids[0]!))?.status, 'pending');
      assert.equal((await queue.get(ids[0]!))?.attempts.length, 1, 'the failed attempt is kept');

      const rest = farmTasks(['retry', '--failed']);
      assert.equal(rest.status, 0, rest.stderr);
      assert.match(rest.stdout, /2 of 2 task\(s\) queued again/);
      for (const id of ids) assert.equal((await queue.get(id))?.status, 'pending');

      const unknown = farmTasks(['retry', randomUUID()]);
      assert.equal(unknown.status, 1);
      assert.match(unknown.stdout, /not found/);
      assert.equal(farmTasks(['frobnicate']).status, 2);
    } finally {
      await queue.close();
    }
  });
});
