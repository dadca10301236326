/**
 * What the signed-URL cache of one process did since it started. Plain counters that only grow
 * (Prometheus counters), read through `snapshot()` by `/api/system/storage` and metrics.
 */

/** One reading of the counters. */
export interface UrlCacheCounts {
  /** URLs answered from the cache. */
  hits: number;
  /** URLs signed in the request because the cache had none, or one too close to expiry. */
  misses: number;
  /** URLs signed anew by the background refresher before they expired. */
  refreshes: number;
  /** Failures of the cache backend (Redis) or of signing; a request then gets a URL signed without the cache, or an error. */
  errors: number;
}

/** The live counters of one SignedUrlCache. */
export class UrlCacheCounters implements UrlCacheCounts {
  hits = 0;
  misses = 0;
  refreshes = 0;
  errors = 0;

  /** A copy, safe to serialize while the counters move on. */
  snapshot(): UrlCacheCounts {
    return { hits: this.hits, misses: this.misses, refreshes: this.refreshes, errors: this.errors };
  }
}
