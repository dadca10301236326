/**
 * One connection attempt to Redis, bounded in time, with no retries: start-up asks this before
 * anything expensive (Chromium) is launched, so a Redis that does not answer ends start-up in
 * seconds with a reason a person can act on, instead of ioredis retrying forever.
 */
import { Redis } from 'ioredis';

/** Redis could not be reached or refused us; `reason` says why in a few words. */
export class RedisUnreachableError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'RedisUnreachableError';
  }
}

/** The few words an operator needs for the usual ways a connection fails. */
export function unreachableReason(error: unknown, timeoutMs: number): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ETIMEDOUT' || code === 'TIMED_OUT') return `no answer within ${timeoutMs} ms`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  if (code === 'ECONNRESET') return 'connection reset';
  if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(message)) return `authentication failed (${message})`;
  return message;
}

/**
 * Connects once to `url` and sends PING; resolves when Redis answers, throws RedisUnreachableError
 * when it does not within `timeoutMs` (refused, unknown host, wrong password, silence).
 */
export async function checkRedisReachable(url: string, timeoutMs: number): Promise<void> {
  let firstError: unknown;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  client.on('error', (error: unknown) => (firstError ??= error));
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'TIMED_OUT' })), timeoutMs);
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), silence]);
  } catch (error) {
    throw new RedisUnreachableError(unreachableReason(firstError ?? error, timeoutMs), { cause: firstError ?? error });
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
