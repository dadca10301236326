/**
 * Task records in Redis: one hash per task holding the record as JSON plus the fields that fence
 * concurrent writers (`v` version, `run` number, `holder` token). Every change goes through
 * `transition`, a compare-and-set retried on conflict, so an API host cancelling and a worker
 * completing the same task cannot both win.
 */
import { queueFullError } from '../task-lifecycle.js';
import type { Redis } from 'ioredis';
import { isFinal, type TaskRecord } from '../task.js';
import type { RedisKeys } from './redis-keys.js';
import { deleteTaskScript, insertTaskScript, transitionScript } from './record-scripts.js';

/** A record as stored, with its fencing fields. */
export interface StoredTask {
  record: TaskRecord;
  /** Bumped by every write; a write applies only if the version it read is still current. */
  version: string;
  /** Bumped by every requeue: the BullMQ job of an older run is ignored by consumers. */
  run: number;
  /** Token of the attempt that holds the task ('' when none); only the holder writes its outcome. */
  holder: string;
}

/** What a transition writes: the new record and, when they change, the run and holder. */
export interface TaskChange {
  record: TaskRecord;
  run?: number;
  holder?: string;
}

/** Decides the change from the current stored task, or declines with null. */
export type TransitionDecision = (current: StoredTask) => TaskChange | null;

/**
 * The record as it reads back from Redis: JSON drops properties whose value is undefined (a
 * RenderRequest may carry `theme: undefined`), so what a write returns equals what `get` returns.
 */
function asStored(record: TaskRecord): { json: string; record: TaskRecord } {
  const json = JSON.stringify(record);
  return { json, record: JSON.parse(json) as TaskRecord };
}

/** Compare-and-set conflicts before giving up: each means another writer just changed the task. */
const MAX_CONFLICTS = 100;

/** Reads and writes task records; every write is atomic with its index, counter and event. */
export class RedisRecordStore {
  constructor(
    private readonly client: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /**
   * Stores a new record. With `idempotent`, the owner's idempotency key is claimed atomically:
   * when another task holds it already, that task is returned with `existing: true`.
   */
  async insert(input: TaskRecord, options: { idempotent: boolean; maxPending?: number }): Promise<{ record: TaskRecord; existing: boolean }> {
    const { json, record } = asStored(input);
    const keys = this.keys;
    const idempotency = this.optional(record, options.idempotent ? this.idempotencyKeyOf(record) : null);
    const cache = this.optional(record, record.status === 'completed' ? this.cacheKeyOf(record) : null);
    const [stored, taskId] = (await insertTaskScript.run(
      this.client,
      [
        keys.task(record.taskId),
        keys.sequence(),
        keys.indexAll(),
        keys.indexOwner(record.owner),
        keys.indexStatus(record.status),
        keys.indexCreated(),
        idempotency.key,
        keys.stats(),
        cache.key,
      ],
      [record.taskId, json, Date.parse(record.createdAt), idempotency.used, ...countArgs(null, record), cache.used, options.maxPending ?? ''],
    )) as [number, string];
    if (stored === 1) return { record, existing: false };
    if (stored === -1) throw queueFullError(options.maxPending!);
    const earlier = await this.get(taskId);
    if (earlier) return { record: earlier, existing: true };
    // The earlier task expired between the two reads: its key is stale, take it over.
    await this.client.del(idempotency.key);
    return this.insert(record, options);
  }

  async read(taskId: string): Promise<StoredTask | null> {
    const [json, version, run, holder] = await this.client.hmget(this.keys.task(taskId), 'json', 'v', 'run', 'holder');
    if (json == null || version == null) return null;
    return { record: JSON.parse(json) as TaskRecord, version, run: Number(run ?? 0), holder: holder ?? '' };
  }

  async get(taskId: string): Promise<TaskRecord | null> {
    const json = await this.client.hget(this.keys.task(taskId), 'json');
    return json === null ? null : (JSON.parse(json) as TaskRecord);
  }

  /** Records of these ids in order, skipping ids whose record is gone. */
  async getMany(taskIds: readonly string[]): Promise<TaskRecord[]> {
    if (taskIds.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const taskId of taskIds) pipeline.hget(this.keys.task(taskId), 'json');
    const replies = (await pipeline.exec()) ?? [];
    const records: TaskRecord[] = [];
    for (const [error, json] of replies) {
      if (error) throw error;
      if (typeof json === 'string') records.push(JSON.parse(json) as TaskRecord);
    }
    return records;
  }

  /**
   * Applies `decide` to the current record until the write wins against concurrent writers.
   * Returns the new record, or null when the task is gone or `decide` declined.
   */
  async transition(taskId: string, decide: TransitionDecision): Promise<TaskRecord | null> {
    for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts += 1) {
      const current = await this.read(taskId);
      if (!current) return null;
      const change = decide(current);
      if (!change) return null;
      const written = await this.write(current, change);
      if (written) return written;
    }
    throw new Error(`task ${taskId} kept changing under ${MAX_CONFLICTS} writes`);
  }

  /** Deletes the task if it is still as read; false when it changed meanwhile. */
  async delete(stored: StoredTask): Promise<boolean> {
    const { record } = stored;
    const keys = this.keys;
    const idempotency = this.optional(record, this.idempotencyKeyOf(record));
    const cache = this.optional(record, this.cacheKeyOf(record));
    const deleted = await deleteTaskScript.run(
      this.client,
      [
        keys.task(record.taskId),
        keys.indexAll(),
        keys.indexOwner(record.owner),
        keys.indexStatus(record.status),
        keys.indexCreated(),
        idempotency.key,
        cache.key,
        keys.cancelRequest(record.taskId),
      ],
      [stored.version, record.taskId, idempotency.used, cache.used],
    );
    return deleted === 1;
  }

  /** The record as written, or null when another writer came first. */
  private async write(current: StoredTask, change: TaskChange): Promise<TaskRecord | null> {
    const before = current.record;
    const { json, record: after } = asStored(change.record);
    const keys = this.keys;
    const newlyCompleted = after.status === 'completed' && before.status !== 'completed';
    const cache = this.optional(after, newlyCompleted ? this.cacheKeyOf(after) : null);
    const applied = await transitionScript.run(
      this.client,
      [
        keys.task(after.taskId),
        keys.indexAll(),
        keys.indexStatus(before.status),
        keys.indexStatus(after.status),
        keys.stats(),
        keys.taskEvents(after.taskId),
        cache.key,
      ],
      [current.version, json, after.taskId, change.run ?? current.run, change.holder ?? current.holder, ...countArgs(before, after), cache.used],
    );
    return applied === 1 ? after : null;
  }

  private idempotencyKeyOf(record: TaskRecord): string | null {
    return record.idempotencyKey === null ? null : this.keys.idempotency(record.owner, record.idempotencyKey);
  }

  private cacheKeyOf(record: TaskRecord): string | null {
    return record.fingerprint === null ? null : this.keys.resultCache(record.requestHash, record.fingerprint);
  }

  /** A key a script may touch, or the record's own key with the flag off when it has none. */
  private optional(record: TaskRecord, key: string | null): { key: string; used: '1' | '0' } {
    return key === null ? { key: this.keys.task(record.taskId), used: '0' } : { key, used: '1' };
  }
}

/**
 * The scripts' counter arguments for a change from `before` (null: a new record) to `after`:
 * whether it counts as processed (reached a final state), and the processing time of a completion.
 */
function countArgs(before: TaskRecord | null, after: TaskRecord): [string, string] {
  const processed = isFinal(after.status) && !(before !== null && isFinal(before.status));
  const completed = after.status === 'completed' && before?.status !== 'completed';
  return [processed ? '1' : '0', completed ? String(after.durationMs ?? 0) : ''];
}
