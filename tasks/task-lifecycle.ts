/**
 * What both queue backends do alike: make a record, run one attempt under its timeout and cancel
 * signal, classify how it ended, and space retries.
 */
import { randomUUID } from 'node:crypto';
import { FarmError, isFarmError, systemError } from '../errors/farm-error.js';
import { hostname } from 'node:os';
import type { NewTask, TaskHandler, TaskOutcome, WorkerInfo } from './task-queue.js';
import type { AttemptError, TaskRecord } from './task.js';

export function nowIso(): string {
  return new Date().toISOString();
}

export function newTaskRecord(input: NewTask): TaskRecord {
  return {
    taskId: randomUUID(),
    status: 'pending',
    priority: input.priority,
    owner: input.owner,
    config: input.config,
    createdAt: nowIso(),
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
    idempotencyKey: input.idempotencyKey,
    callbackUrl: input.callbackUrl,
    workerId: null,
    requestHash: input.requestHash,
  };
}

/** The record of a task completed by `outcome`. */
export function completedRecord(task: TaskRecord, outcome: TaskOutcome, startedAtMs: number): TaskRecord {
  const completedAt = nowIso();
  return {
    ...task,
    status: 'completed',
    completedAt,
    imageUrl: outcome.imageUrl,
    fileName: outcome.fileName,
    objectKey: outcome.objectKey,
    contentType: outcome.contentType,
    bytes: outcome.bytes,
    fingerprint: outcome.fingerprint,
    cached: outcome.cached,
    ...(outcome.missingGlyphs?.length ? { missingGlyphs: outcome.missingGlyphs } : {}),
    durationMs: Math.max(0, Date.parse(completedAt) - startedAtMs),
    error: null,
  };
}

/** A consumer's entry in the worker views. */
export function workerInfo(
  consumer: { workerId: string; concurrency: number; active: number; processed: number; failed: number; startedAt: string },
): WorkerInfo {
  return { ...consumer, host: hostname(), pid: process.pid, lastHeartbeat: nowIso() };
}

export function queueFullError(maxPending: number): FarmError {
  return systemError('QUEUE_FULL', `more than ${maxPending} tasks are waiting (QUEUE_MAX_PENDING); try again shortly`, {
    details: { maxPending, retryAfterSeconds: 5 },
  });
}

export function cancelledError(attempt: number): AttemptError {
  return { attempt, type: 'PROCESSING_ERROR', reason: 'CANCELLED', message: 'the task was cancelled', retryable: false, at: nowIso() };
}

export type AttemptResult =
  | { kind: 'completed'; outcome: TaskOutcome }
  | { kind: 'failed'; error: AttemptError }
  | { kind: 'cancelled' };

/**
 * Runs one attempt. The handler's signal aborts when `cancel` aborts or when `timeoutMs` passes;
 * a timeout ends the attempt with TASK_TIMEOUT (not retryable: the same chart would run as long).
 */
export async function runAttempt(
  handler: TaskHandler,
  task: TaskRecord,
  attempt: number,
  options: { timeoutMs: number; cancel: AbortSignal },
): Promise<AttemptResult> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('task timeout'));
  }, options.timeoutMs);
  const onCancel = (): void => controller.abort(new Error('cancelled'));
  options.cancel.addEventListener('abort', onCancel, { once: true });
  if (options.cancel.aborted) onCancel();
  const aborted = new Promise<'aborted'>((resolve) => controller.signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
  try {
    const outcome = await Promise.race([handler(task, controller.signal), aborted]);
    if (outcome !== 'aborted') return { kind: 'completed', outcome };
  } catch (error) {
    if (!controller.signal.aborted) return { kind: 'failed', error: attemptError(error, attempt) };
  } finally {
    clearTimeout(timer);
    options.cancel.removeEventListener('abort', onCancel);
  }
  if (timedOut) {
    return {
      kind: 'failed',
      error: {
        attempt,
        type: 'PROCESSING_ERROR',
        reason: 'TASK_TIMEOUT',
        message: `the task ran longer than ${Math.round(options.timeoutMs / 1000)} s (QUEUE_TASK_TIMEOUT)`,
        retryable: false,
        at: nowIso(),
      },
    };
  }
  return { kind: 'cancelled' };
}

export function attemptError(error: unknown, attempt: number): AttemptError {
  if (isFarmError(error)) {
    return { attempt, type: error.type, reason: error.reason, message: error.message, retryable: error.retryable, at: nowIso() };
  }
  return { attempt, type: 'SYSTEM_ERROR', reason: 'INTERNAL', message: 'the worker failed unexpectedly', retryable: true, at: nowIso() };
}

/** Delay before retry number `retry` (1-based): base, 2×base, 4×base, … capped at a minute. */
export function backoffDelay(retry: number, baseMs: number): number {
  return Math.min(60_000, baseMs * 2 ** (retry - 1));
}
