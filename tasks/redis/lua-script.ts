/**
 * A Lua script run by its SHA, loaded on first use (and again after a Redis restart or
 * SCRIPT FLUSH). The record store's multi-key changes are scripts so that each one is atomic:
 * a record, its indexes, counters and the event announcing it never disagree.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** One Lua script; `run` sends its SHA and falls back to the source when Redis lacks it. */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
