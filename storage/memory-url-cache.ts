/** The in-process URL cache backend, used without REDIS_URL: one process, so its locks are a set. */
import type { CachedUrl, ReleaseLock, UrlCacheBackend } from './url-cache-backend.js';

/** Signed URLs kept in this process; entries go when read after expiry or dropped by the refresher. */
export class MemoryUrlCache implements UrlCacheBackend {
  private readonly entries = new Map<string, CachedUrl>();
  private readonly locks = new Map<string, number>();

  /** @param now the clock lock expiry is measured on (tests pass theirs) */
  constructor(private readonly now: () => number = Date.now) {}

  async read(key: string): Promise<CachedUrl | null> {
    const entry = this.entries.get(key);
    if (entry === undefined) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return { ...entry };
  }

  async write(key: string, entry: CachedUrl): Promise<void> {
    this.entries.set(key, { ...entry });
  }

  async markRead(key: string, at: number): Promise<void> {
    const entry = this.entries.get(key);
    if (entry !== undefined) entry.readAt = at;
  }

  async dueBefore(before: number, limit: number): Promise<string[]> {
    return [...this.entries]
      .filter(([, entry]) => entry.expiresAt < before)
      .sort(([, a], [, b]) => a.expiresAt - b.expiresAt)
      .slice(0, limit)
      .map(([key]) => key);
  }

  async forget(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async lock(key: string, ttlMs: number): Promise<ReleaseLock | null> {
    const now = this.now();
    const heldUntil = this.locks.get(key);
    if (heldUntil !== undefined && heldUntil > now) return null;
    const until = now + ttlMs;
    this.locks.set(key, until);
    return async () => {
      // Only our own lock: after it expired another holder may have taken the key.
      if (this.locks.get(key) === until) this.locks.delete(key);
    };
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.locks.clear();
  }
}
