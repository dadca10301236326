/**
 * The queue both backends implement: `memory` (one process, the embedded default) and `redis`
 * (BullMQ, many hosts). One contract test suite (test/contract/task-queue.contract.ts) runs against
 * both; anything a backend cannot do is said in its own file.
 */
import type { MissingGlyph } from '../renderer/missing-glyphs.js';
import type { TaskPriority, TaskRecord, TaskStatus, TaskConfig } from './task.js';

export interface NewTask {
  owner: string;
  priority: TaskPriority;
  config: TaskConfig;
  idempotencyKey: string | null;
  callbackUrl: string | null;
  requestHash: string;
}

export interface SubmitOptions {
  /** More pending tasks than this → QUEUE_FULL (the submission is refused, nothing is stored). */
  maxPending: number;
}

export interface SubmitResult {
  task: TaskRecord;
  /** True when the idempotency key matched an earlier task of the same owner: nothing new was queued. */
  existing: boolean;
}

export interface TaskListQuery {
  owner?: string;
  status?: TaskStatus;
  /** Opaque, from the previous page's `nextCursor`. */
  cursor?: string;
  limit: number;
}

export interface TaskPage {
  /** Newest first. */
  tasks: TaskRecord[];
  nextCursor: string | null;
}

export interface QueueCounts {
  pending: number;
  processing: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** Tasks that reached a final state since the queue's records began. */
  totalProcessed: number;
  /** Mean render-to-store time of completed tasks, in milliseconds (0 when none). */
  averageProcessingMs: number;
}

/** What a handler returns for a completed task. */
export interface TaskOutcome {
  objectKey: string;
  imageUrl: string;
  fileName: string;
  contentType: string;
  bytes: number;
  fingerprint: string;
  cached: boolean;
  /** Characters of the chart's text that no font drew (renderer/missing-glyphs.ts). */
  missingGlyphs?: MissingGlyph[];
}

/**
 * Renders and stores one task. Throw a FarmError: `retryable: true` errors are retried with
 * backoff, anything else fails the task at once. `signal` aborts on cancel and on the task timeout.
 */
export type TaskHandler = (task: TaskRecord, signal: AbortSignal) => Promise<TaskOutcome>;

export interface ConsumerOptions {
  workerId: string;
  /** Tasks run at once by this consumer (QUEUE_MAX_CONCURRENT). */
  concurrency: number;
  /** Retries after the first attempt, for retryable failures only (QUEUE_RETRY_ATTEMPTS). */
  retryAttempts: number;
  /** First retry delay; each next one doubles. */
  backoffMs: number;
  /** A task running longer fails with TASK_TIMEOUT (QUEUE_TASK_TIMEOUT). */
  taskTimeoutMs: number;
  /** Called once per task that reached a final state here (webhooks, metrics). */
  onFinal?: (task: TaskRecord) => void;
}

export interface TaskConsumer {
  readonly workerId: string;
  /** Tasks running now. */
  active(): number;
  /**
   * Takes no new task, lets running ones finish for up to `graceMs`, then gives the rest back to
   * the queue as pending (nothing is lost), and stops.
   */
  close(graceMs: number): Promise<void>;
}

export interface WorkerInfo {
  workerId: string;
  host: string;
  pid: number;
  concurrency: number;
  active: number;
  processed: number;
  failed: number;
  startedAt: string;
  lastHeartbeat: string;
}

export type TaskListener = (task: TaskRecord) => void;

export interface TaskQueue {
  readonly backend: 'memory' | 'redis';
  /** Stores and queues a task, or returns the owner's earlier task with the same idempotency key. */
  submit(task: NewTask, options: SubmitOptions): Promise<SubmitResult>;
  /** Stores a task that is already complete (a cached result): never queued. */
  submitCompleted(task: NewTask, outcome: TaskOutcome): Promise<TaskRecord>;
  get(taskId: string): Promise<TaskRecord | null>;
  list(query: TaskListQuery): Promise<TaskPage>;
  /** The newest completed task with this request hash and fingerprint (the result cache). */
  findCompleted(requestHash: string, fingerprint: string): Promise<TaskRecord | null>;
  /** Pending → cancelled at once; processing → its handler is aborted, then cancelled. Final → unchanged. */
  cancel(taskId: string): Promise<TaskRecord | null>;
  /** A failed or cancelled task → pending again, its attempts kept (`echarts-farm tasks retry`). */
  requeue(taskId: string): Promise<TaskRecord | null>;
  /** Ids of every failed task, for `tasks retry --failed`. */
  failedTaskIds(): Promise<string[]>;
  counts(): Promise<QueueCounts>;
  /** When the oldest task still pending was created (ISO 8601), or null with none pending: how far the workers lag. */
  oldestPendingCreatedAt(): Promise<string | null>;
  /** Calls `listener` with the record after every change of the task's status; returns an unsubscribe. */
  watch(taskId: string, listener: TaskListener): Promise<() => Promise<void>>;
  consume(handler: TaskHandler, options: ConsumerOptions): TaskConsumer;
  /** Workers that sent a heartbeat within the last 30 s. */
  workers(): Promise<WorkerInfo[]>;
  /** Deletes final tasks created before `cutoff` and returns them (their images are deleted by the caller). */
  expire(cutoff: Date): Promise<TaskRecord[]>;
  close(): Promise<void>;
}
