/**
 * Checks, before anything heavy is loaded or launched, that the services a command needs answer:
 * with REDIS_URL set, one bounded connection attempt to Redis. A Redis that does not answer ends
 * the command within seconds with a message naming REDIS_URL, instead of ioredis retrying forever
 * beside a launched Chromium. Kept light (ioredis only), so the answer comes before the farm's
 * modules are even loaded.
 */
import { redactSecrets } from '../config/redact-secrets.js';
import type { Config } from '../config/settings.js';
import { checkRedisReachable, RedisUnreachableError } from '../tasks/redis/redis-reachability.js';

/** A service the command needs does not answer; the process exits 78 (EX_CONFIG), like a bad setting. */
export class UnreachableServiceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnreachableServiceError';
  }
}

/** How long start-up waits for Redis to answer its first PING. */
export const STARTUP_REDIS_TIMEOUT_MS = 5_000;

/** Throws UnreachableServiceError (`REDIS_URL redis://host:port: connection refused`, password redacted). */
export async function checkServicesReachable(config: Pick<Config, 'redisUrl'>): Promise<void> {
  if (!config.redisUrl) return;
  try {
    await checkRedisReachable(config.redisUrl, STARTUP_REDIS_TIMEOUT_MS);
  } catch (error) {
    if (!(error instanceof RedisUnreachableError)) throw error;
    throw new UnreachableServiceError(`REDIS_URL ${redactSecrets(config.redisUrl)}: ${error.reason}`, { cause: error });
  }
}
