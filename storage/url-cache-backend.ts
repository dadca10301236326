/**
 * Where signed URLs are kept between requests: in the process (`memory-url-cache.ts`) or in Redis
 * (`redis-url-cache.ts`, shared by every API instance). Both keep the same entries and the same
 * "due" order; the policy (what is a hit, what to refresh) lives in signed-url-cache.ts.
 */

/** One cached signed URL; times are epoch milliseconds. */
export interface CachedUrl {
  url: string;
  /** When the URL stops working. */
  expiresAt: number;
  /** When it was signed. */
  signedAt: number;
  /** Last read recorded; a value not after `signedAt` means "not read since signed". */
  readAt: number;
}

/** Releases a refresh lock; releasing a lock that expired meanwhile is harmless. */
export type ReleaseLock = () => Promise<void>;

/** Storage of cached signed URLs, their expiry order and their refresh locks. */
export interface UrlCacheBackend {
  /** The entry of `key`, or null when there is none (or it expired). */
  read(key: string): Promise<CachedUrl | null>;
  /** Stores `entry` for `key`, replacing any, until `entry.expiresAt`. */
  write(key: string, entry: CachedUrl): Promise<void>;
  /** Records a read at `at` on an existing entry; does nothing when the entry is gone. */
  markRead(key: string, at: number): Promise<void>;
  /** Up to `limit` keys whose entries expire before `before`, soonest first. */
  dueBefore(before: number, limit: number): Promise<string[]>;
  /** Removes the entry of `key`. */
  forget(key: string): Promise<void>;
  /**
   * Takes the refresh lock of `key` for `ttlMs`, so one instance refreshes a URL while others skip it.
   * @returns the release, or null when another holder has the lock
   */
  lock(key: string, ttlMs: number): Promise<ReleaseLock | null>;
  close(): Promise<void>;
}
