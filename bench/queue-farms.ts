/**
 * The farms the queue benchmark measures, built the way `echarts-farm api` and `serve` build them
 * (cli/task-system.ts, server/create-app.ts), on either backend: an API with no worker, for the
 * accept rate, and an API with a worker and a real renderer, for the latency a task adds.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { configWith } from '../config/load-config.js';
import type { Config } from '../config/settings.js';
import type { ChartRenderer } from '../renderer/chart-renderer.js';
import type { RenderRequest } from '../renderer/render-request.js';
import { consumerOptions, createTaskQueue, taskHandler } from '../farm/task-system.js';
import { createApp, type AppDeps } from '../server/create-app.js';
import { LocalObjectStore } from '../storage/local-store.js';
import type { PutOptions, PutResult } from '../storage/object-store.js';
import type { TaskConsumer, TaskQueue } from '../tasks/task-queue.js';

export type BackendId = 'memory' | 'redis';
export const BACKENDS: readonly BackendId[] = ['memory', 'redis'];

/**
 * The production log level and format, written to /dev/null: every request still builds and
 * serializes its log lines (`task queued`, `request answered`), as a farm in service does.
 */
export function discardingLogger(): Logger {
  return pino({ level: 'info', base: { pid: process.pid } }, pino.destination({ dest: '/dev/null', sync: false }));
}

/** What every farm of a run shares. */
export interface FarmContext {
  redisUrl: string;
  logger: Logger;
}

/**
 * Production defaults, but: the backend asked for, nothing refused for being too many
 * (QUEUE_MAX_PENDING), and no result cache, so every task of the latency measurement renders.
 */
function benchConfig(context: FarmContext, backend: BackendId, prefix: string): Config {
  return configWith({
    redisUrl: backend === 'redis' ? context.redisUrl : undefined,
    queuePrefix: prefix,
    queueMaxPending: 10_000_000,
    resultCache: false,
  });
}

/** The app listening on a free port of 127.0.0.1. */
export async function listen(deps: AppDeps): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createApp(deps).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** An API with no worker (the `api` role): tasks stay pending. */
export interface AcceptFarm {
  url: string;
  queue: TaskQueue;
  close(): Promise<void>;
}

/**
 * A fresh queue (Redis: below its own prefix) behind a fresh app. No renderer is handed in: in the
 * `api` role there is none, and the asynchronous generate route never renders.
 */
export async function openAcceptFarm(context: FarmContext, backend: BackendId, prefix: string): Promise<AcceptFarm> {
  const config = benchConfig(context, backend, prefix);
  const queue = await createTaskQueue(config, context.logger);
  try {
    const server = await listen({ config, logger: context.logger, tasks: { queue, accepting: () => true } });
    return {
      url: server.url,
      queue,
      async close() {
        await server.close();
        await queue.close();
      },
    };
  } catch (error) {
    await queue.close();
    throw error;
  }
}

/** Times each `put`, so a task's time can be split into render and store. */
class TimedLocalStore extends LocalObjectStore {
  lastPutMs = Number.NaN;

  override async put(key: string, bytes: Buffer, options: PutOptions): Promise<PutResult> {
    const started = performance.now();
    try {
      return await super.put(key, bytes, options);
    } finally {
      this.lastPutMs = performance.now() - started;
    }
  }
}

/** Where the worker's time went in the last task it ran. */
export interface WorkerSteps {
  renderMs: number;
  storeMs: number;
}

/** An API with a worker that renders (the `serve` role). */
export interface LatencyFarm {
  url: string;
  queue: TaskQueue;
  store: LocalObjectStore;
  /** Render and store time of the last task, read (and reset) after each task. */
  takeWorkerSteps(): WorkerSteps;
  /** The image a completed task stored; undefined when it stored none. */
  storedImage(taskId: string): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

/** The `serve` role on `backend`: the queue, a consumer on the shared renderer, a local store, the app. */
export async function openLatencyFarm(
  context: FarmContext,
  backend: BackendId,
  prefix: string,
  renderer: ChartRenderer,
  storeRoot: string,
): Promise<LatencyFarm> {
  const config = benchConfig(context, backend, prefix);
  const queue = await createTaskQueue(config, context.logger);
  const store = new TimedLocalStore({ root: storeRoot });
  let lastRenderMs = Number.NaN;
  // The renderer's own timing of the render the worker asked for.
  const timedRenderer = {
    fingerprint: renderer.fingerprint,
    async render(request: RenderRequest) {
      const result = await renderer.render(request);
      lastRenderMs = result.steps.totalMs;
      return result;
    },
  };
  let consumer: TaskConsumer | undefined;
  try {
    consumer = queue.consume(taskHandler(config, timedRenderer, store, queue), consumerOptions(config, undefined));
    const server = await listen({ renderer, config, logger: context.logger, tasks: { queue, accepting: () => true }, store });
    return {
      url: server.url,
      queue,
      store,
      takeWorkerSteps() {
        const steps = { renderMs: lastRenderMs, storeMs: store.lastPutMs };
        lastRenderMs = Number.NaN;
        store.lastPutMs = Number.NaN;
        return steps;
      },
      async storedImage(taskId) {
        const record = await queue.get(taskId);
        const stored = record?.objectKey ? await store.get(record.objectKey) : null;
        if (!stored) return undefined;
        const chunks: Buffer[] = [];
        for await (const chunk of stored.stream) chunks.push(Buffer.from(chunk as Buffer));
        return Buffer.concat(chunks);
      },
      async close() {
        await server.close();
        await consumer!.close(5_000);
        await queue.close();
      },
    };
  } catch (error) {
    await consumer?.close(0);
    await queue.close();
    throw error;
  }
}

/** The benchmark's own connection to Redis: the server's version, and deleting a prefix's keys. */
export class RedisAdmin {
  private constructor(private readonly client: Redis) {}

  static async connect(url: string): Promise<RedisAdmin> {
    const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
    // The socket's own error (ECONNREFUSED) says more than the rejection ("Connection is closed").
    let socketError: Error | undefined;
    client.on('error', (error: Error) => (socketError = error));
    try {
      await client.connect();
      await client.ping();
    } catch (error) {
      client.disconnect();
      const reason = (socketError ?? (error as Error)).message;
      throw new Error(`the queue benchmark measures the Redis backend too and needs a Redis at ${url} (REDIS_URL): ${reason}`);
    }
    return new RedisAdmin(client);
  }

  /** `redis_version` and friends from INFO server. */
  async describe(): Promise<{ version: string; mode: string; os: string }> {
    const info = await this.client.info('server');
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? 'unknown';
    return { version: field('redis_version'), mode: field('redis_mode'), os: field('os') };
  }

  /** Deletes every key below `prefix:`; answers how many. */
  async deleteKeys(prefix: string): Promise<number> {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await this.client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
