/**
 * The `s3` driver: AWS S3 and S3-compatible servers (MinIO, R2, ...) through @aws-sdk/client-s3.
 * Keys are object keys as they are (the path prefix is already part of every key). With
 * S3_PUBLIC_BASE_URL the URLs handed out are `<base>/<key>`, otherwise presigned GET URLs.
 */
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { parseContentRange, resolveRange } from './byte-range.js';
import { assertValidKey } from './key-rules.js';
import type { ByteRange, ObjectInfo, ObjectStore, PutOptions, PutResult, SignedUrl, StoredObject, StoreDescription } from './object-store.js';
import { publicObjectUrl } from './public-url.js';
import { isS3NotFound, s3Failure } from './s3-failure.js';
import type { S3StoreOptions } from './s3-options.js';
import { StorageError } from './storage-error.js';
import { withTransientRetries } from './transient-retry.js';
import { probeWriteAndDelete } from './write-probe.js';

/** What GetObject and HeadObject both answer about an object. */
interface S3ObjectFields {
  ContentLength?: number;
  ContentType?: string;
  CacheControl?: string;
  ETag?: string;
  LastModified?: Date;
}

/** Stores objects in one S3 bucket. */
export class S3ObjectStore implements ObjectStore {
  private readonly options: S3StoreOptions;
  private readonly client: S3Client;

  constructor(options: S3StoreOptions) {
    this.options = options;
    const timeoutMs = options.timeoutMs ?? 30_000;
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint === null ? {} : { endpoint: options.endpoint }),
      forcePathStyle: options.forcePathStyle,
      ...(options.credentials === null ? {} : { credentials: options.credentials }),
      // One attempt per call: uploads and deletes retry through withTransientRetries, the same way on every driver.
      maxAttempts: 1,
      // The SDK's default checksums (CRC32 headers and trailers) are refused by several
      // S3-compatible servers; send them only where S3 requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
    });
  }

  async put(key: string, bytes: Buffer, options: PutOptions): Promise<PutResult> {
    assertValidKey(key);
    const command = new PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: bytes, ContentType: options.contentType, CacheControl: options.cacheControl });
    const result = await withTransientRetries(`S3 upload of ${JSON.stringify(key)}`, this.options.retry ?? {}, () => this.call('upload', key, () => this.client.send(command)));
    return { key, bytes: bytes.length, etag: result.ETag ?? '""' };
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | null> {
    assertValidKey(key);
    // Malformed ranges are refused here; S3 cuts the end and answers 416 past the end.
    if (range !== undefined) resolveRange(range, Number.MAX_SAFE_INTEGER, key);
    const command = new GetObjectCommand({ Bucket: this.options.bucket, Key: key, Range: range === undefined ? undefined : `bytes=${range.start}-${range.end}` });
    try {
      const result = await this.client.send(command);
      const served = range === undefined ? null : parseContentRange(result.ContentRange);
      return { ...infoFrom(result, served?.size), stream: result.Body as Readable, range: served?.range ?? null };
    } catch (error) {
      if (isS3NotFound(error)) return null;
      throw s3Failure(error, 'read', key);
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key);
    try {
      return infoFrom(await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key })));
    } catch (error) {
      if (isS3NotFound(error)) return null;
      throw s3Failure(error, 'read', key);
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    const command = new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key });
    // S3 answers 204 for a missing object too.
    await withTransientRetries(`S3 delete of ${JSON.stringify(key)}`, this.options.retry ?? {}, () => this.call('delete', key, () => this.client.send(command)));
  }

  publicUrl(key: string): string | null {
    assertValidKey(key);
    return this.options.publicBaseUrl === null ? null : publicObjectUrl(this.options.publicBaseUrl, key);
  }

  async signedUrl(key: string, expiresInSeconds: number): Promise<SignedUrl> {
    assertValidKey(key);
    let url: string;
    try {
      url = await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.options.bucket, Key: key }), { expiresIn: expiresInSeconds });
    } catch (error) {
      throw new StorageError({ code: 'MISCONFIGURED', message: `S3 could not sign a URL for ${JSON.stringify(key)}: ${(error as Error).message}`, key, cause: error });
    }
    return { url, expiresAt: expiryOf(url, expiresInSeconds) };
  }

  async check(): Promise<void> {
    await probeWriteAndDelete(this, this.options.pathPrefix);
  }

  describe(): StoreDescription {
    const { bucket, region, endpoint, forcePathStyle, pathPrefix, publicBaseUrl } = this.options;
    return { driver: 's3', bucket, region, endpoint, forcePathStyle, pathPrefix, publicBaseUrl, private: publicBaseUrl === null };
  }

  /** Closes the client's sockets. */
  async close(): Promise<void> {
    this.client.destroy();
  }

  private async call<T>(operation: string, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw s3Failure(error, operation, key);
    }
  }
}

/** When S3 stops accepting a presigned URL: its signing time (X-Amz-Date) plus X-Amz-Expires. */
function expiryOf(url: string, expiresInSeconds: number): Date {
  const params = new URL(url).searchParams;
  const signed = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(params.get('X-Amz-Date') ?? '');
  const seconds = Number(params.get('X-Amz-Expires') ?? expiresInSeconds);
  if (!signed) return new Date(Date.now() + seconds * 1000);
  const [, year, month, day, hour, minute, second] = signed.map(Number) as number[];
  return new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!) + seconds * 1000);
}

function infoFrom(fields: S3ObjectFields, size?: number): ObjectInfo {
  return {
    size: size ?? fields.ContentLength ?? 0,
    contentType: fields.ContentType ?? 'application/octet-stream',
    cacheControl: fields.CacheControl ?? null,
    etag: fields.ETag ?? '""',
    lastModified: fields.LastModified ?? new Date(0),
  };
}
