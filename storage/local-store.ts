/**
 * The `local` driver: one file per object under a root directory (LOCAL_STORAGE_DIR), with its
 * content type, cache header and etag in a sidecar `<file>.meta.json`. The API serves these files
 * at `/api/images/:taskId`, so there is no public or signed URL.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { assertValidKey } from './key-rules.js';
import { resolveRange } from './byte-range.js';
import type { ByteRange, ObjectInfo, ObjectStore, PutOptions, PutResult, SignedUrl, StoredObject, StoreDescription } from './object-store.js';
import { StorageError } from './storage-error.js';

/** Suffixes the driver writes next to objects; a key ending so could overwrite them. */
const META_SUFFIX = '.meta.json';
const TEMP_SUFFIX = '.tmp';

/** For objects whose sidecar was lost (copied by hand, crash between the two renames). */
const CONTENT_TYPES_BY_EXTENSION: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
};

interface Sidecar {
  contentType: string;
  cacheControl: string | null;
  etag: string;
  size: number;
}

export interface LocalObjectStoreOptions {
  /** Directory holding the objects (LOCAL_STORAGE_DIR); created on the first write or `check()`. */
  root: string;
}

export class LocalObjectStore implements ObjectStore {
  readonly root: string;

  constructor(options: LocalObjectStoreOptions) {
    this.root = resolve(options.root);
  }

  async put(key: string, bytes: Buffer, options: PutOptions): Promise<PutResult> {
    const path = this.pathFor(key);
    const etag = etagOf(bytes);
    const sidecar: Sidecar = { contentType: options.contentType, cacheControl: options.cacheControl ?? null, etag, size: bytes.length };
    try {
      await mkdir(dirname(path), { recursive: true });
      // Sidecar first: a reader that sees the new file then finds a sidecar of the same size, and one
      // that finds a sidecar of another size recomputes the etag (see readInfo).
      await writeAtomically(path + META_SUFFIX, JSON.stringify(sidecar));
      await writeAtomically(path, bytes);
    } catch (error) {
      throw fsError(error, key, 'write');
    }
    return { key, bytes: bytes.length, etag };
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | null> {
    const path = this.pathFor(key);
    const handle = await this.openObject(path, key);
    if (handle === null) return null;
    try {
      const info = await readInfo(handle, path, key);
      const served = range === undefined ? null : resolveRange(range, info.size, key);
      // Positional reads from the handle already open: a delete or replace after this point
      // cannot make the stream disagree with the size and etag just read.
      const stream = handle.createReadStream({ start: served?.start ?? 0, end: served?.end, autoClose: true });
      return { ...info, stream, range: served };
    } catch (error) {
      await handle.close();
      throw error instanceof StorageError ? error : fsError(error, key, 'read');
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const path = this.pathFor(key);
    const handle = await this.openObject(path, key);
    if (handle === null) return null;
    try {
      return await readInfo(handle, path, key);
    } catch (error) {
      throw fsError(error, key, 'read');
    } finally {
      await handle.close();
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathFor(key);
    try {
      await unlinkIfPresent(path);
      await unlinkIfPresent(path + META_SUFFIX);
    } catch (error) {
      throw fsError(error, key, 'delete');
    }
  }

  publicUrl(): string | null {
    return null;
  }

  async signedUrl(): Promise<SignedUrl | null> {
    return null;
  }

  /** Creates the root if missing and proves it writable, so a bad LOCAL_STORAGE_DIR stops startup. */
  async check(): Promise<void> {
    const probe = join(this.root, `.probe-${randomUUID()}${TEMP_SUFFIX}`);
    try {
      await mkdir(this.root, { recursive: true });
      await writeAtomically(probe, 'probe');
      await unlink(probe);
    } catch (error) {
      const cause = fsError(error, null, 'write');
      const code = cause.code === 'ACCESS_DENIED' ? 'ACCESS_DENIED' : 'MISCONFIGURED';
      throw new StorageError({ code, message: `LOCAL_STORAGE_DIR ${this.root} is not a writable directory: ${cause.message}`, cause: error });
    }
  }

  describe(): StoreDescription {
    return { driver: 'local', root: this.root };
  }

  /** The file of `key`, after the key rules and a containment check in case a rule was missed. */
  private pathFor(key: string): string {
    assertValidKey(key);
    if (key.endsWith(META_SUFFIX) || key.endsWith(TEMP_SUFFIX)) {
      throw new StorageError({ code: 'INVALID_KEY', message: `object key ${JSON.stringify(key)} ends with a suffix the local driver reserves`, key });
    }
    const path = join(this.root, ...key.split('/'));
    const inside = relative(this.root, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
      throw new StorageError({ code: 'INVALID_KEY', message: `object key ${JSON.stringify(key)} leaves the storage root`, key });
    }
    return path;
  }

  /** The open file of an object, or null when there is none (a directory is not an object). */
  private async openObject(path: string, key: string): Promise<FileHandle | null> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw fsError(error, key, 'read');
    }
    if ((await handle.stat()).isFile()) return handle;
    await handle.close();
    return null;
  }
}

/** `"<sha256 hex>"`: strong, and the same on every host for the same bytes. */
function etagOf(bytes: Buffer): string {
  return `"${createHash('sha256').update(bytes).digest('hex')}"`;
}

async function readInfo(handle: FileHandle, path: string, key: string): Promise<ObjectInfo> {
  const stat = await handle.stat();
  const sidecar = await readSidecar(path + META_SUFFIX);
  if (sidecar !== null && sidecar.size === stat.size) {
    return { size: stat.size, contentType: sidecar.contentType, cacheControl: sidecar.cacheControl, etag: sidecar.etag, lastModified: stat.mtime };
  }
  // No sidecar, or one of another version of the file: derive what we can from the file itself.
  const contentType = CONTENT_TYPES_BY_EXTENSION[extname(key).toLowerCase()] ?? 'application/octet-stream';
  const bytes = await handle.readFile();
  return { size: stat.size, contentType, cacheControl: sidecar?.cacheControl ?? null, etag: etagOf(bytes), lastModified: stat.mtime };
}

async function readSidecar(path: string): Promise<Sidecar | null> {
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    return isSidecar(value) ? value : null;
  } catch {
    // Missing or half-written by hand: the caller falls back to the file itself.
    return null;
  }
}

function isSidecar(value: unknown): value is Sidecar {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.contentType === 'string' &&
    typeof record.etag === 'string' &&
    typeof record.size === 'number' &&
    (record.cacheControl === null || typeof record.cacheControl === 'string')
  );
}

/**
 * Writes to a temporary file in the same directory, flushes it, then renames it over `path`: a
 * reader or a crash sees the old file or the new one, never a truncated one.
 */
async function writeAtomically(path: string, data: Buffer | string): Promise<void> {
  const temporary = `${path}.${randomUUID()}${TEMP_SUFFIX}`;
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(data);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlinkIfPresent(temporary).catch(() => undefined);
    throw error;
  }
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** ENOTDIR too: `a/b` is missing when `a` is a file. */
function isMissing(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Turns a Node fs error into a StorageError; permissions and name clashes are not worth a retry. */
function fsError(error: unknown, key: string | null, operation: 'read' | 'write' | 'delete'): StorageError {
  const errno = errnoCode(error) ?? 'unknown';
  const message = `local storage could not ${operation} ${key === null ? 'its root' : JSON.stringify(key)} (${errno})`;
  if (errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS') return new StorageError({ code: 'ACCESS_DENIED', message, key, cause: error });
  if (errno === 'EISDIR' || errno === 'ENOTDIR' || errno === 'EEXIST') return new StorageError({ code: 'IO_ERROR', message, key, retryable: false, cause: error });
  return new StorageError({ code: 'IO_ERROR', message, key, cause: error });
}
