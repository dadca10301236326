/**
 * Signed URLs of a private bucket, cached so a client asking twice gets the same URL (and its
 * browser or CDN cache hits), and refreshed ahead of expiry while they are in use, so requests
 * rarely wait for a signature and never get a URL about to die.
 *
 * The rules: a cached URL is handed out only while it has more than `refreshAheadSeconds` to live
 * (otherwise it is a miss, signed anew in the request). The refresher renews entries that come
 * within `refreshAheadSeconds` of expiry and were read since they were signed; an entry nobody read
 * is dropped instead, so URLs asked for once are not renewed forever. A lock per URL lets one
 * instance renew it while the others skip it.
 */
import type { ObjectStore, SignedUrl } from './object-store.js';
import type { CachedUrl, UrlCacheBackend } from './url-cache-backend.js';
import { UrlCacheCounters } from './url-cache-counters.js';

/** What a SignedUrlCache signs with, keeps its entries in, and its timings. */
export interface SignedUrlCacheOptions {
  store: Pick<ObjectStore, 'signedUrl'>;
  backend: UrlCacheBackend;
  /** Lifetime of each signed URL (SIGNED_URL_TTL_SECONDS). */
  ttlSeconds: number;
  /** Renew URLs this close to expiry; a URL handed out lives at least this long (SIGNED_URL_REFRESH_AHEAD_SECONDS). */
  refreshAheadSeconds: number;
  /** Entries one refresh pass looks at (SIGNED_URL_REFRESH_BATCH). */
  refreshBatchSize: number;
  /**
   * How long one instance holds the refresh lock of a URL; longer than a signature takes.
   * @defaultValue 30000
   */
  lockMs?: number;
  /** The clock, for tests. @defaultValue Date.now */
  now?: () => number;
}

/** What one refresh pass did. */
export interface RefreshPass {
  /** Due entries looked at. */
  examined: number;
  /** Signed anew. */
  refreshed: number;
  /** Removed: expired, or not read since signed. */
  dropped: number;
  /** Left alone: locked by another instance, or already renewed by one. */
  skipped: number;
  failed: number;
  /** The pass was full: more entries may be due. */
  more: boolean;
}

/** Hands out cached signed URLs and renews those in use (see the file comment for the rules). */
export class SignedUrlCache {
  /** Hits, misses, refreshes and errors of this process. */
  readonly counters = new UrlCacheCounters();
  private readonly options: SignedUrlCacheOptions;
  private readonly now: () => number;
  private readonly aheadMs: number;

  constructor(options: SignedUrlCacheOptions) {
    if (!(options.refreshAheadSeconds < options.ttlSeconds)) {
      throw new RangeError(`refreshAheadSeconds (${options.refreshAheadSeconds}) must be less than ttlSeconds (${options.ttlSeconds})`);
    }
    this.options = options;
    this.now = options.now ?? Date.now;
    this.aheadMs = options.refreshAheadSeconds * 1000;
  }

  /** A signed URL of `key` with more than `refreshAheadSeconds` to live: the cached one, or a new one. */
  async get(key: string): Promise<SignedUrl> {
    const now = this.now();
    let cached: CachedUrl | null;
    try {
      cached = await this.options.backend.read(key);
    } catch {
      // The cache is an optimisation: without it the client still gets a valid URL.
      this.counters.errors++;
      return this.sign(key);
    }
    if (cached !== null && cached.expiresAt - now > this.aheadMs) {
      this.counters.hits++;
      // One write per signing, not per hit: the refresher only needs "read since signed".
      if (cached.readAt <= cached.signedAt) await this.options.backend.markRead(key, Math.max(now, cached.signedAt + 1)).catch(() => this.counters.errors++);
      return { url: cached.url, expiresAt: new Date(cached.expiresAt) };
    }
    this.counters.misses++;
    const signed = await this.sign(key);
    await this.options.backend.write(key, entryOf(signed, now)).catch(() => this.counters.errors++);
    return signed;
  }

  /** One pass of the refresher: renews (or drops) up to `refreshBatchSize` entries that are due. */
  async refreshDue(): Promise<RefreshPass> {
    const now = this.now();
    const pass: RefreshPass = { examined: 0, refreshed: 0, dropped: 0, skipped: 0, failed: 0, more: false };
    let keys: string[];
    try {
      keys = await this.options.backend.dueBefore(now + this.aheadMs, this.options.refreshBatchSize);
    } catch (error) {
      this.counters.errors++;
      throw error;
    }
    pass.examined = keys.length;
    pass.more = keys.length >= this.options.refreshBatchSize;
    for (const key of keys) await this.refreshOne(key, now, pass);
    return pass;
  }

  /** Closes the backend (its Redis connection). */
  close(): Promise<void> {
    return this.options.backend.close();
  }

  private async refreshOne(key: string, now: number, pass: RefreshPass): Promise<void> {
    const { backend } = this.options;
    let release: (() => Promise<void>) | null;
    try {
      release = await backend.lock(key, this.options.lockMs ?? 30_000);
    } catch {
      this.counters.errors++;
      pass.failed++;
      return;
    }
    if (release === null) {
      pass.skipped++;
      return;
    }
    try {
      // Read again under the lock: another instance may have renewed it since the due list was read.
      const entry = await backend.read(key);
      if (entry !== null && entry.expiresAt - now > this.aheadMs) {
        pass.skipped++;
      } else if (entry === null || entry.expiresAt <= now || entry.readAt <= entry.signedAt) {
        await backend.forget(key);
        pass.dropped++;
      } else {
        await backend.write(key, entryOf(await this.signUncounted(key), now));
        this.counters.refreshes++;
        pass.refreshed++;
      }
    } catch {
      this.counters.errors++;
      pass.failed++;
    } finally {
      await release().catch(() => undefined);
    }
  }

  /** Signs in a request: a failure is counted here, then answered to the client. */
  private async sign(key: string): Promise<SignedUrl> {
    try {
      return await this.signUncounted(key);
    } catch (error) {
      this.counters.errors++;
      throw error;
    }
  }

  private async signUncounted(key: string): Promise<SignedUrl> {
    const signed = await this.options.store.signedUrl(key, this.options.ttlSeconds);
    if (signed === null) throw new Error(`the store signs no URLs for ${JSON.stringify(key)}`);
    return signed;
  }
}

/** A fresh entry: not read yet, so unless someone reads it the refresher will drop it. */
function entryOf(signed: SignedUrl, now: number): CachedUrl {
  return { url: signed.url, expiresAt: signed.expiresAt.getTime(), signedAt: now, readAt: now };
}
