/**
 * Tells a Redis that does not answer from every other failure, and turns it into the farm's typed
 * 503 QUEUE_UNAVAILABLE (retryable, with Retry-After). The queue's client gives up on a command
 * within about a second while Redis is away (see REDIS_CLIENT_OPTIONS), so callers get this answer
 * quickly instead of waiting the outage out.
 */
import type { RedisOptions } from 'ioredis';
import { isFarmError, systemError, type FarmError } from '../../errors/farm-error.js';
import type { TaskQueue } from '../task-queue.js';

/** Seconds a client is told to wait before it asks again while Redis is away. */
export const QUEUE_RETRY_AFTER_SECONDS = 2;

/**
 * Options of the queue's own Redis connection: a command waits for at most one reconnection
 * attempt (reconnects are at most 500 ms apart), and one sent into a silent connection gives up
 * after 1.5 s. Reconnection itself never stops, so the farm resumes by itself when Redis returns.
 */
export const REDIS_CLIENT_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: 1,
  retryStrategy: (times: number) => Math.min(times * 100, 500),
  commandTimeout: 1_500,
  connectTimeout: 2_000,
};

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'NR_CLOSED']);
const CONNECTION_MESSAGES = /max retries per request|Connection is closed|Stream isn't writeable|Command timed out|connect ETIMEDOUT|LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|Connection in subscriber mode/i;

/** True when `error` says Redis could not be reached or is not serving (loading, read-only replica). */
export function isRedisConnectionError(error: unknown): boolean {
  if (!(error instanceof Error) || isFarmError(error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && CONNECTION_CODES.has(code)) return true;
  return CONNECTION_MESSAGES.test(error.message);
}

/** The answer while Redis is away. */
export function queueUnavailable(cause: unknown): FarmError {
  return systemError('QUEUE_UNAVAILABLE', `the task queue (Redis) does not answer; try again in ${QUEUE_RETRY_AFTER_SECONDS} s`, {
    details: { retryAfterSeconds: QUEUE_RETRY_AFTER_SECONDS },
    cause,
  });
}

/** Runs `work`; a Redis that does not answer becomes QUEUE_UNAVAILABLE, anything else passes unchanged. */
export async function orQueueUnavailable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw isRedisConnectionError(error) ? queueUnavailable(error) : error;
  }
}

/**
 * `queue` whose every question to Redis answers QUEUE_UNAVAILABLE while Redis is away, so the API
 * maps an outage to a 503 in one place instead of an opaque 500.
 */
export function answeringOutages(queue: TaskQueue): TaskQueue {
  return {
    backend: queue.backend,
    submit: (task, options) => orQueueUnavailable(() => queue.submit(task, options)),
    submitCompleted: (task, outcome) => orQueueUnavailable(() => queue.submitCompleted(task, outcome)),
    get: (taskId) => orQueueUnavailable(() => queue.get(taskId)),
    list: (query) => orQueueUnavailable(() => queue.list(query)),
    findCompleted: (requestHash, fingerprint) => orQueueUnavailable(() => queue.findCompleted(requestHash, fingerprint)),
    cancel: (taskId) => orQueueUnavailable(() => queue.cancel(taskId)),
    requeue: (taskId) => orQueueUnavailable(() => queue.requeue(taskId)),
    failedTaskIds: () => orQueueUnavailable(() => queue.failedTaskIds()),
    counts: () => orQueueUnavailable(() => queue.counts()),
    oldestPendingCreatedAt: () => orQueueUnavailable(() => queue.oldestPendingCreatedAt()),
    watch: (taskId, listener) => orQueueUnavailable(() => queue.watch(taskId, listener)),
    consume: (handler, options) => queue.consume(handler, options),
    workers: () => orQueueUnavailable(() => queue.workers()),
    expire: (cutoff) => orQueueUnavailable(() => queue.expire(cutoff)),
    close: () => queue.close(),
  };
}

/** How often a worker tries again to record an outcome while Redis is away. */
const RECORD_RETRY_MS = 500;

/**
 * Runs `write` until Redis answers it, for at most `giveUpAfterMs`: a worker that finished a render
 * during an outage records the result when Redis returns, instead of failing the job and having the
 * task rendered and uploaded a second time. `onWait` hears of the first failed try.
 */
export async function untilRedisAnswers<T>(write: () => Promise<T>, giveUpAfterMs: number, onWait?: (error: unknown) => void): Promise<T> {
  const deadline = Date.now() + giveUpAfterMs;
  for (let tries = 0; ; tries += 1) {
    try {
      return await write();
    } catch (error) {
      if (!isRedisConnectionError(error) || Date.now() >= deadline) throw error;
      if (tries === 0) onWait?.(error);
      await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS));
    }
  }
}
