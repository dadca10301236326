/**
 * The Redis URL cache backend (REDIS_URL set): every API instance reads the same signed URLs and
 * takes the same refresh locks. Keys live below the farm's prefix (QUEUE_PREFIX), beside the task
 * queue's, so several farms share one Redis:
 * - `<prefix>:signed-url:<key>`: hash `url`, `expiresAt`, `signedAt`, `readAt`; expires with the URL;
 * - `<prefix>:signed-url-due`: sorted set of keys by `expiresAt`, what the refresher walks;
 * - `<prefix>:signed-url-lock:<key>`: the refresh lock, a token with a TTL.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { CachedUrl, ReleaseLock, UrlCacheBackend } from './url-cache-backend.js';

// HSET on a missing key would create an entry without expiry: only mark one that exists.
const MARK_READ = `if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'readAt', ARGV[1]) end return 0`;
// Delete the lock only while it is still ours: after our TTL passed another instance may hold it.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Where the Redis cache connects and the prefix its keys live below. */
export interface RedisUrlCacheOptions {
  /** REDIS_URL */
  url: string;
  /** QUEUE_PREFIX: every key starts with `${prefix}:`. */
  prefix: string;
  /** Told of connection errors (ioredis reconnects by itself); without it they are dropped. */
  onConnectionError?: (error: Error) => void;
}

/** A URL cache in Redis; owns its connection. */
export class RedisUrlCache implements UrlCacheBackend {
  private readonly client: Redis;
  private readonly prefix: string;

  constructor(options: RedisUrlCacheOptions) {
    this.prefix = options.prefix;
    // Few retries per command: a request waiting for a URL should fall back to signing without the
    // cache soon, not wait out a Redis restart.
    this.client = new Redis(options.url, { maxRetriesPerRequest: 1, connectTimeout: 5_000 });
    this.client.on('error', (error: Error) => options.onConnectionError?.(error));
  }

  async read(key: string): Promise<CachedUrl | null> {
    const fields = await this.client.hgetall(this.entryKey(key));
    const entry = { url: fields.url, expiresAt: Number(fields.expiresAt), signedAt: Number(fields.signedAt), readAt: Number(fields.readAt) };
    if (entry.url === undefined || !Number.isFinite(entry.expiresAt)) return null;
    return entry as CachedUrl;
  }

  async write(key: string, entry: CachedUrl): Promise<void> {
    const entryKey = this.entryKey(key);
    await this.client
      .multi()
      .del(entryKey)
      .hset(entryKey, { url: entry.url, expiresAt: entry.expiresAt, signedAt: entry.signedAt, readAt: entry.readAt })
      .pexpireat(entryKey, entry.expiresAt)
      .zadd(this.dueKey(), entry.expiresAt, key)
      .exec();
  }

  async markRead(key: string, at: number): Promise<void> {
    await this.client.eval(MARK_READ, 1, this.entryKey(key), at);
  }

  async dueBefore(before: number, limit: number): Promise<string[]> {
    return this.client.zrangebyscore(this.dueKey(), '-inf', `(${before}`, 'LIMIT', 0, limit);
  }

  async forget(key: string): Promise<void> {
    await this.client.multi().del(this.entryKey(key)).zrem(this.dueKey(), key).exec();
  }

  async lock(key: string, ttlMs: number): Promise<ReleaseLock | null> {
    const lockKey = `${this.prefix}:signed-url-lock:${encodeURIComponent(key)}`;
    const token = randomUUID();
    const taken = await this.client.set(lockKey, token, 'PX', ttlMs, 'NX');
    if (taken !== 'OK') return null;
    return async () => {
      await this.client.eval(RELEASE, 1, lockKey, token);
    };
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }

  /** Object keys are `/`-separated text; encoded, a `:` in one cannot reach another key's namespace. */
  private entryKey(key: string): string {
    return `${this.prefix}:signed-url:${encodeURIComponent(key)}`;
  }

  private dueKey(): string {
    return `${this.prefix}:signed-url-due`;
  }
}
