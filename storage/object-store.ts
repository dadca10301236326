/**
 * The `ObjectStore` every driver (`local`, `oss`, `s3`) implements. Keys are `/`-separated and
 * relative (see key-rules.ts); a driver maps them onto its own namespace. Every failure is a
 * StorageError.
 */
import type { Readable } from 'node:stream';

export type StorageDriver = 'local' | 'oss' | 's3';

export interface PutOptions {
  /** Stored with the object and answered by `get` (the HTTP `Content-Type`). */
  contentType: string;
  /** Stored with the object and answered by `get` (the HTTP `Cache-Control`). */
  cacheControl?: string;
}

export interface PutResult {
  key: string;
  /** Size of what was stored, in bytes. */
  bytes: number;
  /** Strong HTTP entity tag, quoted (`"…"`). */
  etag: string;
}

/** Inclusive byte offsets, as in an HTTP `Range: bytes=start-end` header. */
export interface ByteRange {
  start: number;
  /** Inclusive; an end past the object's last byte is cut to it, as HTTP does. */
  end: number;
}

/** What is known about a stored object without reading it. */
export interface ObjectInfo {
  /** Size of the whole object, in bytes (not of the range read). */
  size: number;
  contentType: string;
  cacheControl: string | null;
  /** Strong HTTP entity tag, quoted (`"…"`). */
  etag: string;
  lastModified: Date;
}

/** An object being read. The caller must consume or destroy `stream`. */
export interface StoredObject extends ObjectInfo {
  /** The whole object, or only the bytes of `range`. */
  stream: Readable;
  /** The range actually served (end cut to the object), or null for the whole object. */
  range: ByteRange | null;
}

export interface SignedUrl {
  url: string;
  expiresAt: Date;
}

/** What a driver says about itself for `/api/system/info` and logs; never secrets. */
export interface StoreDescription {
  driver: StorageDriver;
  /** True when the store hands out signed URLs instead of public ones (a private bucket). */
  private?: boolean;
  [detail: string]: unknown;
}

export interface ObjectStore {
  /** Stores `bytes` under `key`, replacing any object there; readers see the old or the new object, never a mix. */
  put(key: string, bytes: Buffer, options: PutOptions): Promise<PutResult>;
  /**
   * Opens the object, or only `range` of it (INVALID_RANGE when it starts past the end).
   * @returns null when no object has this key
   */
  get(key: string, range?: ByteRange): Promise<StoredObject | null>;
  /** The object's metadata, for `ETag`/`If-None-Match` and range checks. @returns null when absent */
  head(key: string): Promise<ObjectInfo | null>;
  /** Deletes the object; deleting a missing object succeeds. */
  delete(key: string): Promise<void>;
  /** A URL anyone may fetch (public bucket or custom domain), or null when the API must serve it. */
  publicUrl(key: string): string | null;
  /** A time-limited URL for a private bucket, or null when the driver has none. */
  signedUrl(key: string, expiresInSeconds: number): Promise<SignedUrl | null>;
  /** Startup check: settings usable and the backend reachable and writable; throws a StorageError naming the problem. */
  check(): Promise<void>;
  describe(): StoreDescription;
  /** Releases the driver's connections, when it holds any. */
  close?(): Promise<void>;
}
