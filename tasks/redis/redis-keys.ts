/**
 * Every Redis key and channel of the Redis backend, in one place, all below one prefix, so several
 * farms or test runs share a Redis without seeing each other. BullMQ's own keys live below
 * `${prefix}:${DISPATCH_QUEUE_NAME}:`.
 */
import type { TaskStatus } from '../task.js';

/** The BullMQ queue name below the prefix: BullMQ's keys are `${prefix}:render:*`. */
export const DISPATCH_QUEUE_NAME = 'render';

/**
 * Owner names and idempotency keys come from clients; encoding them keeps a `:` inside one from
 * reaching into another key's namespace.
 */
function part(value: string): string {
  return encodeURIComponent(value);
}

/** Names the keys and channels of one farm (one prefix). */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Hash: `json` (the TaskRecord), `v` (version for compare-and-set), `run`, `holder`. */
  task(taskId: string): string {
    return `${this.prefix}:task:${taskId}`;
  }

  /** Counter that orders tasks by creation across every host (the list index score). */
  sequence(): string {
    return `${this.prefix}:seq`;
  }

  /** Sorted set of every task id, scored by creation sequence. */
  indexAll(): string {
    return `${this.prefix}:index:all`;
  }

  /** Sorted set of one owner's task ids, scored by creation sequence. */
  indexOwner(owner: string): string {
    return `${this.prefix}:index:owner:${part(owner)}`;
  }

  /** Sorted set of the task ids in one status, scored by creation sequence. */
  indexStatus(status: TaskStatus): string {
    return `${this.prefix}:index:status:${status}`;
  }

  /** Sorted set of every task id scored by createdAt in ms (retention). */
  indexCreated(): string {
    return `${this.prefix}:index:created`;
  }

  /** String: the task id an owner's idempotency key points at. */
  idempotency(owner: string, idempotencyKey: string): string {
    return `${this.prefix}:idem:${part(owner)}:${part(idempotencyKey)}`;
  }

  /** String: the newest completed task id for a request hash and render fingerprint. */
  resultCache(requestHash: string, fingerprint: string): string {
    return `${this.prefix}:cache:${part(requestHash)}:${part(fingerprint)}`;
  }

  /** Hash: totalProcessed, completed, processingMs. */
  stats(): string {
    return `${this.prefix}:stats`;
  }

  /** Hash: workerId → WorkerInfo JSON, refreshed by heartbeats. */
  workers(): string {
    return `${this.prefix}:workers`;
  }

  /** String: the run number a cancel was asked for, read by a consumer that starts the task late. */
  cancelRequest(taskId: string): string {
    return `${this.prefix}:cancel:${taskId}`;
  }

  /** Pub/sub channel: the record after each status change of one task. */
  taskEvents(taskId: string): string {
    return `${this.prefix}:events:${taskId}`;
  }

  /** Pub/sub channel: cancel requests for running tasks, heard by every consumer. */
  cancelChannel(): string {
    return `${this.prefix}:cancel-requests`;
  }
}
