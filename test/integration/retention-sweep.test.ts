/** Retention end to end on the memory queue and the local store: old tasks and their images go. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LocalObjectStore } from '../../storage/local-store.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import { RetentionSweeper } from '../../tasks/retention.js';
import { newTask, waitForStatus } from '../contract/task-queue.contract.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('retention with a short period', () => {
  it('deletes records and images older than TASK_RETENTION_DAYS, and keeps newer ones', async () => {
    const root = mkdtempSync(join(tmpdir(), 'farm-retention-'));
    const store = new LocalObjectStore({ root });
    const queue = new MemoryTaskQueue();
    const consumer = queue.consume(
      async (task) => {
        const objectKey = `charts/${task.taskId}.png`;
        await store.put(objectKey, Buffer.from('png bytes'), { contentType: 'image/png' });
        return { objectKey, imageUrl: '', fileName: `${task.taskId}.png`, contentType: 'image/png', bytes: 9, fingerprint: 'fp', cached: false };
      },
      { workerId: 'w', concurrency: 1, retryAttempts: 0, backoffMs: 10, taskTimeoutMs: 5000 },
    );
    const old = (await queue.submit(newTask(), { maxPending: 10 })).task;
    await waitForStatus(queue, old.taskId, 'completed');
    const pending = (await queue.submit(newTask(), { maxPending: 10 })).task;
    await queue.cancel(pending.taskId);

    let now = new Date();
    const sweeper = new RetentionSweeper({ queue, store, retentionDays: 1, intervalHours: 1, logger: silent, now: () => now });
    assert.deepEqual(await sweeper.sweepOnce(), { tasks: 0, objects: 0 }, 'nothing is a day old yet');
    now = new Date(Date.now() + 25 * 3600 * 1000);
    assert.deepEqual(await sweeper.sweepOnce(), { tasks: 2, objects: 1 });
    assert.equal(await queue.get(old.taskId), null);
    assert.equal(existsSync(join(root, 'charts', `${old.taskId}.png`)), false);
    await consumer.close(0);
    await queue.close();
  });
});
