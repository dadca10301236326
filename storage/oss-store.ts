/**
 * The `oss` driver: Aliyun OSS through ali-oss. Keys are object names as they are (the path prefix
 * is already part of every key, see tasks/object-keys.ts). A public bucket hands out plain URLs
 * (on OSS_CUSTOM_DOMAIN when set), a private one signed URLs; uploads and deletes are retried on
 * network errors and 5xx.
 */
import { createHash } from 'node:crypto';
import OSS from 'ali-oss';
import { parseContentRange, resolveRange } from './byte-range.js';
import { assertValidKey } from './key-rules.js';
import type { ByteRange, ObjectInfo, ObjectStore, PutOptions, PutResult, SignedUrl, StoredObject, StoreDescription } from './object-store.js';
import { isOssNotFound, ossFailure } from './oss-failure.js';
import { isIpEndpoint, type OssStoreOptions } from './oss-options.js';
import { baseUrlOf, publicObjectUrl } from './public-url.js';
import { StorageError } from './storage-error.js';
import { withTransientRetries } from './transient-retry.js';
import { probeWriteAndDelete } from './write-probe.js';

type Headers = Record<string, string | undefined>;

/** Stores objects in one OSS bucket. */
export class OssObjectStore implements ObjectStore {
  private readonly options: OssStoreOptions;
  private readonly client: OSS;
  /** Signs URLs: the client itself, or one on the custom domain so signed URLs use it too. */
  private readonly signer: OSS;
  /** Base of public URLs; null for a private bucket. */
  private readonly publicBase: string | null;
  private readonly timeoutMs: number;

  constructor(options: OssStoreOptions) {
    this.options = options;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const credentials = { accessKeyId: options.accessKeyId, accessKeySecret: options.accessKeySecret, bucket: options.bucket, timeout: this.timeoutMs };
    const endpoint = options.endpoint === null ? null : baseUrlOf(options.endpoint);
    if (endpoint === null && options.region === null) throw new TypeError('OssObjectStore needs a region or an endpoint');
    // An IP endpoint is reached by address with the bucket named in the Host header, which ali-oss
    // builds from the region; nothing outside can fetch from it by URL, so the farm serves its images.
    const ipEndpoint = options.endpoint !== null && isIpEndpoint(options.endpoint);
    if (ipEndpoint && options.region === null) throw new TypeError('OssObjectStore needs the region with an IP endpoint');
    // secure: the region's endpoint over https; an explicit endpoint keeps its own scheme.
    const address = endpoint ? { endpoint: endpoint.origin, ...(ipEndpoint ? { region: options.region! } : {}) } : { region: options.region! };
    this.client = new OSS({ ...credentials, secure: true, ...address });
    const bucketOrigin = ipEndpoint ? null : endpoint ? `${endpoint.protocol}//${options.bucket}.${endpoint.host}` : `https://${options.bucket}.${options.region}.aliyuncs.com`;
    const domain = options.customDomain === null ? null : baseUrlOf(options.customDomain);
    // A custom domain is bound to the bucket, so OSS accepts signatures made for it (`cname`).
    this.signer = domain ? new OSS({ ...credentials, endpoint: domain.origin, cname: true }) : this.client;
    this.publicBase = options.private ? null : (domain?.origin ?? bucketOrigin);
  }

  async put(key: string, bytes: Buffer, options: PutOptions): Promise<PutResult> {
    assertValidKey(key);
    const headers: Headers = { 'Content-Type': options.contentType };
    if (options.cacheControl !== undefined) headers['Cache-Control'] = options.cacheControl;
    const result = await withTransientRetries(`OSS upload of ${JSON.stringify(key)}`, this.options.retry ?? {}, () =>
      this.call('upload', key, () => this.client.put(key, bytes, { mime: options.contentType, headers, timeout: this.timeoutMs })),
    );
    const etag = (result.res.headers as Headers).etag ?? `"${createHash('md5').update(bytes).digest('hex').toUpperCase()}"`;
    return { key, bytes: bytes.length, etag };
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | null> {
    assertValidKey(key);
    // Malformed ranges are refused here; the end is cut to the object by OSS itself.
    if (range !== undefined) resolveRange(range, Number.MAX_SAFE_INTEGER, key);
    // "standard": answer 416 for a range past the end, where OSS by default sends the whole object.
    const headers = range === undefined ? {} : { Range: `bytes=${range.start}-${range.end}`, 'x-oss-range-behavior': 'standard' };
    let result: OSS.GetStreamResult;
    try {
      result = await this.client.getStream(key, { headers, timeout: this.timeoutMs });
    } catch (error) {
      if (isOssNotFound(error)) return null;
      throw ossFailure(error, 'read', key);
    }
    const answer = result.res.headers as Headers;
    const served = result.res.status === 206 ? parseContentRange(answer['content-range']) : null;
    const info = infoFrom(answer, served?.size);
    return { ...info, stream: result.stream, range: served?.range ?? null };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key);
    try {
      const result = await this.client.head(key, { timeout: this.timeoutMs });
      return infoFrom(result.res.headers as Headers);
    } catch (error) {
      if (isOssNotFound(error)) return null;
      throw ossFailure(error, 'read', key);
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await withTransientRetries(`OSS delete of ${JSON.stringify(key)}`, this.options.retry ?? {}, async () => {
      try {
        await this.client.delete(key, { timeout: this.timeoutMs });
      } catch (error) {
        // OSS answers 204 for a missing object; a 404 from something in front of it means the same.
        if (!isOssNotFound(error)) throw ossFailure(error, 'delete', key);
      }
    });
  }

  publicUrl(key: string): string | null {
    assertValidKey(key);
    return this.publicBase === null ? null : publicObjectUrl(this.publicBase, key);
  }

  async signedUrl(key: string, expiresInSeconds: number): Promise<SignedUrl> {
    assertValidKey(key);
    let url: string;
    try {
      url = this.signer.signatureUrl(key, { expires: expiresInSeconds, method: 'GET' });
    } catch (error) {
      throw new StorageError({ code: 'MISCONFIGURED', message: `OSS could not sign a URL for ${JSON.stringify(key)}: ${(error as Error).message}`, key, cause: error });
    }
    // The expiry OSS will enforce is the one in the URL (whole seconds): report that one.
    const expires = Number(new URL(url).searchParams.get('Expires'));
    return { url, expiresAt: new Date(expires * 1000) };
  }

  async check(): Promise<void> {
    await probeWriteAndDelete(this, this.options.pathPrefix);
  }

  describe(): StoreDescription {
    const { bucket, region, endpoint, customDomain, pathPrefix } = this.options;
    return { driver: 'oss', bucket, region, endpoint, customDomain, pathPrefix, private: this.options.private };
  }

  /** Runs one ali-oss call, its failure turned into a StorageError. */
  private async call<T>(operation: string, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw ossFailure(error, operation, key);
    }
  }
}

/** Object metadata from OSS's answer headers; `size` from Content-Range when only a part was sent. */
function infoFrom(headers: Headers, size?: number): ObjectInfo {
  return {
    size: size ?? Number(headers['content-length'] ?? 0),
    contentType: headers['content-type'] ?? 'application/octet-stream',
    cacheControl: headers['cache-control'] ?? null,
    etag: headers.etag ?? '""',
    lastModified: headers['last-modified'] ? new Date(headers['last-modified']) : new Date(0),
  };
}
