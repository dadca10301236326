import type { Redis } from 'ioredis';

/** The Redis the tests use: TEST_REDIS_URL, else the local default (every test takes its own key prefix). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every key below `prefix:` (what a test wrote under its own prefix). */
export async function deleteKeysBelow(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}
