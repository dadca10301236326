/**
 * Reads over the record indexes: newest-first pages with a cursor, the result cache, counts and
 * the candidates for retention. Index scores are the creation sequence (one Redis counter for all
 * hosts), so "newest first" is the order tasks were stored in, even within one millisecond.
 */
import type { Redis } from 'ioredis';
import type { QueueCounts, TaskListQuery, TaskPage } from '../task-queue.js';
import { TASK_STATUSES, type TaskRecord } from '../task.js';
import type { RedisKeys } from './redis-keys.js';
import type { RedisRecordStore } from './redis-record-store.js';

/** Ids read per round when a list must filter an owner's tasks by status. */
const SCAN_BATCH = 200;

interface IndexEntry {
  taskId: string;
  sequence: number;
}

/** Queries over the records: lists, result cache, idempotency, counts, retention candidates. */
export class RedisTaskIndex {
  constructor(
    private readonly client: Redis,
    private readonly keys: RedisKeys,
    private readonly records: RedisRecordStore,
  ) {}

  /** Newest first; the cursor is the creation sequence of the last task of the previous page. */
  async list(query: TaskListQuery): Promise<TaskPage> {
    const before = query.cursor === undefined ? Infinity : Number.parseInt(query.cursor, 36);
    const entries =
      query.owner !== undefined && query.status !== undefined
        ? await this.scanOwnerByStatus(query.owner, query.status, before, query.limit + 1)
        : await this.newestBefore(this.indexFor(query), before, query.limit + 1);
    const page = entries.slice(0, query.limit);
    const records = await this.records.getMany(page.map((entry) => entry.taskId));
    // A record may change status between the index read and the record read: filter once more.
    const tasks = query.status === undefined ? records : records.filter((task) => task.status === query.status);
    const last = page[page.length - 1];
    return { tasks, nextCursor: entries.length > query.limit && last ? last.sequence.toString(36) : null };
  }

  /** The owner's task of this idempotency key, if any. */
  async idempotent(owner: string, idempotencyKey: string): Promise<TaskRecord | null> {
    const taskId = await this.client.get(this.keys.idempotency(owner, idempotencyKey));
    return taskId === null ? null : this.records.get(taskId);
  }

  async findCompleted(requestHash: string, fingerprint: string): Promise<TaskRecord | null> {
    const taskId = await this.client.get(this.keys.resultCache(requestHash, fingerprint));
    if (taskId === null) return null;
    const task = await this.records.get(taskId);
    return task?.status === 'completed' ? task : null;
  }

  async failedTaskIds(): Promise<string[]> {
    return this.client.zrange(this.keys.indexStatus('failed'), 0, -1);
  }

  async counts(): Promise<QueueCounts> {
    const pipeline = this.client.pipeline();
    for (const status of TASK_STATUSES) pipeline.zcard(this.keys.indexStatus(status));
    pipeline.hmget(this.keys.stats(), 'totalProcessed', 'completed', 'processingMs');
    const replies = (await pipeline.exec()) ?? [];
    const values = replies.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    const [pending, processing, completed, failed, cancelled] = values.slice(0, TASK_STATUSES.length).map(Number);
    const [totalProcessed, completedCount, processingMs] = (values[TASK_STATUSES.length] as (string | null)[]).map((value) => Number(value ?? 0));
    return {
      pending: pending ?? 0,
      processing: processing ?? 0,
      completed: completed ?? 0,
      failed: failed ?? 0,
      cancelled: cancelled ?? 0,
      totalProcessed: totalProcessed ?? 0,
      averageProcessingMs: completedCount ? (processingMs ?? 0) / completedCount : 0,
    };
  }

  /** The pending index is scored by creation sequence: its first entry is the oldest pending task. */
  async oldestPendingCreatedAt(): Promise<string | null> {
    // A task may leave `pending` between the two reads: then look at the next oldest.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const [taskId] = await this.client.zrange(this.keys.indexStatus('pending'), 0, 0);
      if (taskId === undefined) return null;
      const task = await this.records.get(taskId);
      if (task?.status === 'pending') return task.createdAt;
    }
    return null;
  }

  /** Ids of tasks created before `cutoff`, oldest first, `count` at most, skipping `offset`. */
  async createdBefore(cutoff: Date, offset: number, count: number): Promise<string[]> {
    return this.client.zrangebyscore(this.keys.indexCreated(), '-inf', `(${cutoff.getTime()}`, 'LIMIT', offset, count);
  }

  private indexFor(query: TaskListQuery): string {
    if (query.owner !== undefined) return this.keys.indexOwner(query.owner);
    if (query.status !== undefined) return this.keys.indexStatus(query.status);
    return this.keys.indexAll();
  }

  private async newestBefore(index: string, before: number, count: number): Promise<IndexEntry[]> {
    const max = before === Infinity ? '+inf' : `(${before}`;
    const flat = await this.client.zrevrangebyscore(index, max, '-inf', 'WITHSCORES', 'LIMIT', 0, count);
    const entries: IndexEntry[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ taskId: flat[i]!, sequence: Number(flat[i + 1]) });
    return entries;
  }

  /** An owner's tasks in one status: walks the owner's index, keeping ids found in the status index. */
  private async scanOwnerByStatus(owner: string, status: TaskRecord['status'], before: number, count: number): Promise<IndexEntry[]> {
    const matches: IndexEntry[] = [];
    let from = before;
    while (matches.length < count) {
      const batch = await this.newestBefore(this.keys.indexOwner(owner), from, SCAN_BATCH);
      if (batch.length === 0) break;
      const pipeline = this.client.pipeline();
      for (const entry of batch) pipeline.zscore(this.keys.indexStatus(status), entry.taskId);
      const scores = (await pipeline.exec()) ?? [];
      batch.forEach((entry, i) => {
        if (matches.length < count && scores[i]?.[1] !== null && scores[i]?.[1] !== undefined) matches.push(entry);
      });
      from = batch[batch.length - 1]!.sequence;
    }
    return matches;
  }
}
