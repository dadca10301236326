/**
 * Where a client fetches a task's image: the store's public URL (public bucket, custom domain,
 * S3_PUBLIC_BASE_URL), else a signed URL from the cache (private bucket), else the farm's own
 * `/api/images/:taskId` (local disk). `GET /api/images/:taskId/url` answers it and
 * `?redirect=true` sends the client there.
 */
import type { ObjectStore } from '../storage/object-store.js';
import type { SignedUrlCache } from '../storage/signed-url-cache.js';
import type { UrlCacheCounts } from '../storage/url-cache-counters.js';

/** The answer of `GET /api/images/:taskId/url`. */
export interface ImageLink {
  url: string;
  /** ISO 8601 UTC for a signed URL; null for a URL that does not expire. */
  expiresAt: string | null;
}

/** `<PUBLIC_BASE_URL>/api/images/<taskId>`, or the path alone when PUBLIC_BASE_URL is unset. */
export function farmImageUrl(publicBaseUrl: string | undefined, taskId: string): string {
  return `${publicBaseUrl?.replace(/\/+$/, '') ?? ''}/api/images/${taskId}`;
}

/** What ImageLinks chooses a URL from. */
export interface ImageLinksOptions {
  store: Pick<ObjectStore, 'publicUrl'>;
  /** Signed URLs of a private bucket; null when the store signs none (local). */
  signedUrls: Pick<SignedUrlCache, 'get' | 'counters'> | null;
  /** PUBLIC_BASE_URL */
  publicBaseUrl: string | undefined;
}

/** Chooses and builds the URL of a task's image. */
export class ImageLinks {
  constructor(private readonly options: ImageLinksOptions) {}

  async linkFor(taskId: string, objectKey: string): Promise<ImageLink> {
    const { store, signedUrls, publicBaseUrl } = this.options;
    const publicUrl = store.publicUrl(objectKey);
    if (publicUrl !== null) return { url: publicUrl, expiresAt: null };
    if (signedUrls !== null) {
      const signed = await signedUrls.get(objectKey);
      return { url: signed.url, expiresAt: signed.expiresAt.toISOString() };
    }
    return { url: farmImageUrl(publicBaseUrl, taskId), expiresAt: null };
  }

  /** The signed-URL cache counters of this process, or null without a cache. */
  urlCacheCounts(): UrlCacheCounts | null {
    return this.options.signedUrls?.counters.snapshot() ?? null;
  }
}
