/**
 * The new record of each status change the Redis backend makes. Hosts' clocks differ a little, so
 * every timestamp is kept at or after the one before it: createdAt ≤ startedAt ≤ completedAt holds
 * even when the worker's clock is behind the API host's.
 */
import { cancelledError, completedRecord, nowIso } from '../task-lifecycle.js';
import type { TaskOutcome } from '../task-queue.js';
import type { AttemptError, TaskRecord } from '../task.js';

/** `iso`, or `floor` when `iso` is earlier (both ISO 8601 UTC, which sort as strings). */
function notBefore(iso: string, floor: string | null): string {
  return floor !== null && iso < floor ? floor : iso;
}

/** Finished now, never before the task started (or was created). */
function finishedAt(task: TaskRecord): string {
  return notBefore(nowIso(), task.startedAt ?? task.createdAt);
}

/** Taken by a worker: started now (again, on a retry or takeover). */
export function processingRecord(task: TaskRecord, workerId: string): TaskRecord {
  return { ...task, status: 'processing', startedAt: notBefore(nowIso(), task.createdAt), workerId };
}

/** Completed by the attempt that started at `task.startedAt`. */
export function completedByWorker(task: TaskRecord, outcome: TaskOutcome): TaskRecord {
  const startedAt = task.startedAt ?? task.createdAt;
  const completed = completedRecord(task, outcome, Date.parse(startedAt));
  return { ...completed, completedAt: notBefore(completed.completedAt!, startedAt) };
}

/** Cancelled, pending or running: the error says CANCELLED for the current attempt. */
export function cancelledRecord(task: TaskRecord): TaskRecord {
  return { ...task, status: 'cancelled', completedAt: finishedAt(task), error: cancelledError(task.retryCount + 1) };
}

/** Failed for good with `error`, which is also kept among the attempts. */
export function failedRecord(task: TaskRecord, error: AttemptError): TaskRecord {
  return { ...task, status: 'failed', completedAt: finishedAt(task), error, attempts: [...task.attempts, error] };
}

/** Waiting for its next retry: the failed attempt is kept and counted. */
export function retryRecord(task: TaskRecord, error: AttemptError): TaskRecord {
  return { ...task, status: 'pending', workerId: null, attempts: [...task.attempts, error], retryCount: task.retryCount + 1 };
}

/** Given back by a closing consumer: no attempt failed, so nothing is counted. */
export function givenBackRecord(task: TaskRecord): TaskRecord {
  return { ...task, status: 'pending', workerId: null };
}

/** Queued again by an operator: a fresh run with a fresh retry budget, earlier attempts kept. */
export function requeuedRecord(task: TaskRecord): TaskRecord {
  return { ...task, status: 'pending', completedAt: null, error: null, retryCount: 0, workerId: null };
}
