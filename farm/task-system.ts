/** Builds the task system's parts from the settings: queue backend, object store, task handler. */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { ConfigError } from '../config/load-config.js';
import type { Config } from '../config/settings.js';
import type { ChartRenderer } from '../renderer/chart-renderer.js';
import { farmImageUrl, ImageLinks } from '../server/image-links.js';
import { MemoryUrlCache } from '../storage/memory-url-cache.js';
import { createObjectStore as buildObjectStore, objectKeyPrefix, objectStoreProblems, type ObjectStoreSettings } from '../storage/object-store-factory.js';
import type { ObjectStore } from '../storage/object-store.js';
import { RedisUrlCache } from '../storage/redis-url-cache.js';
import { SignedUrlCache } from '../storage/signed-url-cache.js';
import { isStorageError } from '../storage/storage-error.js';
import { refreshIntervalMs, UrlRefresher } from '../storage/url-refresher.js';
import { MemoryChartRateLimiter, RedisChartRateLimiter, type ChartRateLimiter } from '../server/auth/chart-rate-limiter.js';
import { MemoryTaskQueue } from '../tasks/memory/memory-task-queue.js';
import { renderTaskHandler } from '../tasks/render-task-handler.js';
import type { ConsumerOptions, TaskHandler, TaskQueue } from '../tasks/task-queue.js';
import type { TaskStepObserver } from '../tasks/task-steps.js';

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
    workerLivenessMs: config.workerLivenessMs,
    heartbeatMs: heartbeatIntervalMs(config.workerLivenessMs),
  });
}

/** Three heartbeats per liveness window, so one lost beat never drops a live worker; at most every 5 s. */
export function heartbeatIntervalMs(livenessMs: number): number {
  return Math.max(250, Math.min(5_000, Math.floor(livenessMs / 3)));
}

/** The settings of every storage driver, as the storage room reads them. */
export function objectStoreSettings(config: Config): ObjectStoreSettings {
  return {
    driver: config.storage,
    localRoot: config.localStorageDir,
    oss: {
      accessKeyId: config.ossAccessKeyId,
      accessKeySecret: config.ossAccessKeySecret,
      bucket: config.ossBucket,
      region: config.ossRegion,
      endpoint: config.ossEndpoint,
      customDomain: config.ossCustomDomain,
      pathPrefix: config.ossPathPrefix,
      private: config.ossPrivate,
    },
    s3: {
      endpoint: config.s3Endpoint,
      region: config.s3Region,
      bucket: config.s3Bucket,
      accessKeyId: config.s3AccessKeyId,
      secretAccessKey: config.s3SecretAccessKey,
      forcePathStyle: config.s3ForcePathStyle,
      pathPrefix: config.s3PathPrefix,
      publicBaseUrl: config.s3PublicBaseUrl,
    },
  };
}

/** The driver STORAGE names; a ConfigError naming every missing or invalid variable of that driver. */
export async function createObjectStore(config: Config): Promise<ObjectStore> {
  const settings = objectStoreSettings(config);
  const problems = objectStoreProblems(settings);
  if (problems.length > 0) throw new ConfigError(problems);
  return buildObjectStore(settings);
}

/**
 * The startup connectivity check (STORAGE_CHECK_ON_START). A wrong bucket, region, key or
 * permission stops startup as a ConfigError; a backend that does not answer as a plain error, since
 * the same settings may work in a minute.
 */
export async function checkObjectStore(config: Config, store: Pick<ObjectStore, 'check'>): Promise<void> {
  if (!config.storageCheckOnStart) return;
  try {
    await store.check();
  } catch (error) {
    const message = `STORAGE=${config.storage} failed its startup check (STORAGE_CHECK_ON_START): ${(error as Error).message}`;
    if (isStorageError(error) && !error.retryable) throw new ConfigError([message]);
    throw new Error(message, { cause: error });
  }
}

/** The image URLs handed out by the API, with the signed-URL cache and its refresher when the bucket is private. */
export interface ImageUrlService {
  links: ImageLinks;
  /** Renews cached signed URLs ahead of expiry; null without signed URLs. */
  refresher: UrlRefresher | null;
  /** Stops the refresher and closes the cache's connection. */
  close(): Promise<void>;
}

/** Builds the image links: signed URLs cached in Redis when REDIS_URL is set (shared by every API instance), in memory otherwise. */
export function createImageUrlService(config: Config, store: ObjectStore, logger: Logger): ImageUrlService {
  if (store.describe().private !== true) {
    return { links: new ImageLinks({ store, signedUrls: null, publicBaseUrl: config.publicBaseUrl }), refresher: null, close: async () => undefined };
  }
  const backend = config.redisUrl
    ? new RedisUrlCache({ url: config.redisUrl, prefix: config.queuePrefix, onConnectionError: (error) => logger.warn({ err: error }, 'signed URL cache: Redis connection error') })
    : new MemoryUrlCache();
  const cache = new SignedUrlCache({
    store,
    backend,
    ttlSeconds: config.signedUrlTtlSeconds,
    refreshAheadSeconds: config.signedUrlRefreshAheadSeconds,
    refreshBatchSize: config.signedUrlRefreshBatch,
  });
  const refresher = new UrlRefresher({
    cache,
    intervalMs: refreshIntervalMs(config.signedUrlRefreshAheadSeconds),
    onError: (error) => logger.warn({ err: error }, 'signed URL refresh pass failed'),
  });
  return {
    links: new ImageLinks({ store, signedUrls: cache, publicBaseUrl: config.publicBaseUrl }),
    refresher,
    async close() {
      await refresher.stop();
      await cache.close();
    },
  };
}

export function taskHandler(
  config: Config,
  renderer: Pick<ChartRenderer, 'render' | 'fingerprint'>,
  store: ObjectStore,
  queue: Pick<TaskQueue, 'findCompleted'>,
  onSteps?: TaskStepObserver,
): TaskHandler {
  return renderTaskHandler({
    renderer,
    store,
    findCompleted: config.resultCache ? (hash, fingerprint) => queue.findCompleted(hash, fingerprint) : undefined,
    keyPrefix: objectKeyPrefix(objectStoreSettings(config)),
    imageUrlFor: (taskId) => farmImageUrl(config.publicBaseUrl, taskId),
    onSteps,
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

/** The owners' chart counts: in Redis when there is one (shared by every API process), else in this process. */
export async function createRateLimiter(config: Config): Promise<{ limiter: ChartRateLimiter; close(): Promise<void> }> {
  if (!config.redisUrl) return { limiter: new MemoryChartRateLimiter(), close: async () => undefined };
  const { Redis } = await import('ioredis');
  const client = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  return { limiter: new RedisChartRateLimiter(client, config.queuePrefix), close: async () => void (await client.quit().catch(() => client.disconnect())) };
}
