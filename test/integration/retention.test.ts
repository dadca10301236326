import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { LocalObjectStore } from '../../storage/local-store.js';
import { StorageError } from '../../storage/storage-error.js';
import { RetentionSweeper, type RetentionSweeperOptions } from '../../tasks/retention.js';
import type { TaskQueue } from '../../tasks/task-queue.js';
import { isFinal, type TaskRecord } from '../../tasks/task.js';
import type { FieldLogger } from '../../tasks/webhook-sender.js';

const NOW = new Date('2024-06-15T12:00:00.000Z');
const DAY_MS = 86_400_000;

/**
 * The queue at the edge of this unit: only what the sweeper calls, over an in-memory list,
 * with `expire` and `findCompleted` as the TaskQueue contract describes them.
 */
class QueueStub implements Pick<TaskQueue, 'expire' | 'findCompleted'> {
  readonly cutoffs: Date[] = [];
  private expireCalled: () => void = () => undefined;
  readonly firstExpire = new Promise<void>((resolve) => {
    this.expireCalled = resolve;
  });

  constructor(public tasks: TaskRecord[]) {}

  async expire(cutoff: Date): Promise<TaskRecord[]> {
    this.cutoffs.push(cutoff);
    this.expireCalled();
    const expired = this.tasks.filter((task) => isFinal(task.status) && Date.parse(task.createdAt) < cutoff.getTime());
    this.tasks = this.tasks.filter((task) => !expired.includes(task));
    return expired;
  }

  async findCompleted(requestHash: string, fingerprint: string): Promise<TaskRecord | null> {
    const matches = this.tasks.filter((task) => task.status === 'completed' && task.requestHash === requestHash && task.fingerprint === fingerprint);
    return matches.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null;
  }
}

let serial = 0;
function task(daysOld: number, fields: Partial<TaskRecord> = {}): TaskRecord {
  const taskId = `00000000-0000-4000-8000-${String(++serial).padStart(12, '0')}`;
  return {
    taskId,
    status: 'completed',
    priority: 'normal',
    owner: 'anonymous',
    config: { render: { option: {}, type: 'png', width: 10, height: 10, devicePixelRatio: 1, quality: 90, engine: 'canvas' }, ossPath: null },
    createdAt: new Date(NOW.getTime() - daysOld * DAY_MS).toISOString(),
    startedAt: null,
    completedAt: null,
    imageUrl: null,
    fileName: `${taskId}.png`,
    objectKey: `charts/${taskId}.png`,
    contentType: 'image/png',
    bytes: 3,
    error: null,
    retryCount: 0,
    attempts: [],
    durationMs: 1,
    fingerprint: 'fp',
    cached: false,
    idempotencyKey: null,
    callbackUrl: null,
    workerId: null,
    requestHash: `hash-${taskId}`,
    ...fields,
  };
}

const silent: FieldLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('RetentionSweeper', () => {
  let root: string;
  let store: LocalObjectStore;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'farm-retention-'));
  });
  after(() => rm(root, { recursive: true, force: true }));
  beforeEach(async () => {
    store = new LocalObjectStore({ root: join(root, String(++serial)) });
  });

  async function stored(tasks: TaskRecord[]): Promise<TaskRecord[]> {
    for (const { objectKey } of tasks) if (objectKey) await store.put(objectKey, Buffer.from('png'), { contentType: 'image/png' });
    return tasks;
  }

  function sweeper(queue: QueueStub, overrides: Partial<RetentionSweeperOptions> = {}): RetentionSweeper {
    return new RetentionSweeper({ queue, store, retentionDays: 7, intervalHours: 24, logger: silent, now: () => NOW, ...overrides });
  }

  it('deletes the objects of expired tasks and keeps the others', async () => {
    const [old1, old2, young, running] = await stored([task(8), task(30, { status: 'failed' }), task(6), task(9, { status: 'processing' })]);
    const queue = new QueueStub([old1!, old2!, young!, running!]);
    assert.deepEqual(await sweeper(queue).sweepOnce(), { tasks: 2, objects: 2 });
    assert.deepEqual(queue.cutoffs, [new Date(NOW.getTime() - 7 * DAY_MS)]);
    assert.equal(await store.head(old1!.objectKey!), null);
    assert.equal(await store.head(old2!.objectKey!), null);
    assert.notEqual(await store.head(young!.objectKey!), null);
    assert.notEqual(await store.head(running!.objectKey!), null);
    assert.deepEqual(await sweeper(queue).sweepOnce(), { tasks: 0, objects: 0 });
  });

  it('is fine with a missing object and a task without one', async () => {
    const queue = new QueueStub([task(10), task(10, { status: 'cancelled', objectKey: null })]);
    assert.deepEqual(await sweeper(queue).sweepOnce(), { tasks: 2, objects: 1 });
  });

  it('logs a failing delete and goes on with the others', async () => {
    const [broken, fine] = await stored([task(10), task(10)]);
    const warnings: Record<string, unknown>[] = [];
    const failing = {
      delete: (key: string) =>
        key === broken!.objectKey ? Promise.reject(new StorageError({ code: 'UNAVAILABLE', message: 'backend down', key })) : store.delete(key),
    };
    const result = await sweeper(new QueueStub([broken!, fine!]), { store: failing, logger: { ...silent, warn: (fields) => void warnings.push(fields) } }).sweepOnce();
    assert.deepEqual(result, { tasks: 2, objects: 1 });
    assert.equal(await store.head(fine!.objectKey!), null);
    assert.deepEqual(warnings.map((fields) => fields.objectKey), [broken!.objectKey]);
  });

  it('start() sweeps soon, stop() ends the timers, and overlapping calls share one sweep', async () => {
    const [old] = await stored([task(10)]);
    const queue = new QueueStub([old!]);
    const sweeps = sweeper(queue, { firstSweepDelayMs: 10 });
    // The sweeper's timers are unref'd by design: this one holds the event loop open meanwhile.
    const keepAlive = setInterval(() => undefined, 1000);
    sweeps.start();
    await queue.firstExpire;
    await sweeps.stop();
    clearInterval(keepAlive);
    assert.equal(await store.head(old!.objectKey!), null);
    assert.equal(queue.cutoffs.length, 1);

    const [first, second] = [sweeps.sweepOnce(), sweeps.sweepOnce()];
    assert.equal(first, second);
    await first;
  });

  it('refuses a retention or interval that is not positive', () => {
    assert.throws(() => sweeper(new QueueStub([]), { retentionDays: 0 }), RangeError);
    assert.throws(() => sweeper(new QueueStub([]), { intervalHours: -1 }), RangeError);
  });
});
