/** Builds the task system's parts from the settings: queue backend, object store, task handler. */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Config } from '../config/settings.js';
import type { ChartRenderer } from '../renderer/chart-renderer.js';
import { LocalObjectStore } from '../storage/local-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import { MemoryTaskQueue } from '../tasks/memory/memory-task-queue.js';
import { renderTaskHandler } from '../tasks/render-task-handler.js';
import type { ConsumerOptions, TaskHandler, TaskQueue } from '../tasks/task-queue.js';

export async function createTaskQueue(config: Config, logger: Logger): Promise<TaskQueue> {
  if (!config.redisUrl) {
    logger.info({}, 'task queue: memory (tasks do not survive a restart; set REDIS_URL to keep them)');
    return new MemoryTaskQueue();
  }
  const { createRedisTaskQueue } = await import('../tasks/redis/redis-task-queue.js');
  logger.info({ prefix: config.queuePrefix }, 'task queue: redis');
  return createRedisTaskQueue({
    url: config.redisUrl,
    prefix: config.queuePrefix,
    logger,
    lockDurationMs: config.queueStallTimeoutMs,
    stalledIntervalMs: config.queueStallTimeoutMs,
  });
}

export function createObjectStore(config: Config): ObjectStore {
  return new LocalObjectStore({ root: config.localStorageDir });
}

export function taskHandler(
  config: Config,
  renderer: Pick<ChartRenderer, 'render' | 'fingerprint'>,
  store: ObjectStore,
  queue: Pick<TaskQueue, 'findCompleted'>,
): TaskHandler {
  return renderTaskHandler({
    renderer,
    store,
    findCompleted: config.resultCache ? (hash, fingerprint) => queue.findCompleted(hash, fingerprint) : undefined,
    keyPrefix: '',
    imageUrlFor: (taskId) => `${config.publicBaseUrl?.replace(/\/$/, '') ?? ''}/api/images/${taskId}`,
  });
}

export function consumerOptions(config: Config, onFinal: ConsumerOptions['onFinal']): ConsumerOptions {
  return {
    workerId: `${hostname()}:${process.pid}`,
    concurrency: config.queueMaxConcurrent,
    retryAttempts: config.queueRetryAttempts,
    backoffMs: config.queueRetryBackoffMs,
    taskTimeoutMs: config.queueTaskTimeout * 1000,
    onFinal,
  };
}
