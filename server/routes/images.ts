/**
 * `GET /api/images/:taskId`: the image of a completed task, streamed from the object store with
 * ETag (304 on If-None-Match) and a single byte range (206), or with `?redirect=true` a 302 to the
 * URL that `GET /api/images/:taskId/url` answers (public, signed, or this very route).
 */
import { systemError, validationError } from '../../errors/farm-error.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { isStorageError } from '../../storage/storage-error.js';
import type { AppDeps, FarmRouter } from '../app-deps.js';
import { queryFlag } from '../chart-requests.js';
import { sendData } from '../envelope.js';
import { ImageLinks } from '../image-links.js';
import { taskOr404 } from '../task-lookup.js';
import { visibleOwner } from '../auth/scopes.js';
import type { TaskDeps } from '../task-submission.js';

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` against an object of `size` bytes; undefined for anything else. */
export function parseRange(header: string, size: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  // A suffix of no bytes, or any range of an empty object, can be satisfied by no byte (RFC 9110 14.1.2).
  if (size === 0) return undefined;
  if (match[1] === '') return Number(match[2]) === 0 ? undefined : { start: Math.max(0, size - Number(match[2])), end: size - 1 };
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  return start <= end ? { start, end } : undefined;
}

/** The object key of a completed task's image; NOT_FOUND for an unknown task or one without an image. */
async function imageKeyOf(tasks: TaskDeps, taskId: string, owner: string | undefined): Promise<string> {
  const task = await taskOr404(tasks, taskId, owner);
  if (task.status !== 'completed' || !task.objectKey) {
    throw validationError('NOT_FOUND', `task ${taskId} has no image (it is ${task.status})`, { taskId, status: task.status });
  }
  return task.objectKey;
}

/** A store outage is rarely shorter than this; clients asking sooner only add load. */
const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * A read of the object store. Its failures become STORAGE_UNAVAILABLE, which names the store's own
 * message, instead of an opaque 500: the image exists, the store did not hand it over.
 */
async function fromStore<T>(taskId: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    // The object changed size between its head and its read: the range is the client's problem.
    if (isStorageError(error) && error.code === 'INVALID_RANGE') throw validationError('RANGE_NOT_SATISFIABLE', `cannot serve that range of the image of task ${taskId}`, { field: 'Range' });
    const retryable = isStorageError(error) ? error.retryable : true;
    const details = retryable ? { taskId, retryAfterSeconds: STORE_RETRY_AFTER_SECONDS } : { taskId };
    throw systemError('STORAGE_UNAVAILABLE', `reading the image of task ${taskId} failed: ${(error as Error).message}`, { retryable, details, cause: error });
  }
}

/** Adds `GET /api/images/:taskId` and `GET /api/images/:taskId/url` to `router`. */
export function addImageRoutes(router: FarmRouter, deps: AppDeps, tasks: TaskDeps, store: Pick<ObjectStore, 'get' | 'head' | 'publicUrl'>): void {
  // Without links from the composition root (tests, embedders): public URLs, else this route.
  const links = deps.imageLinks ?? new ImageLinks({ store, signedUrls: null, publicBaseUrl: deps.config.publicBaseUrl });

  router.get('/api/images/:taskId/url', async (ctx) => {
    const taskId = ctx.params.taskId!;
    const link = await links.linkFor(taskId, await imageKeyOf(tasks, taskId, visibleOwner(ctx)));
    // A signed URL must not outlive its answer in a shared cache.
    ctx.set('cache-control', 'no-store');
    sendData(ctx, link);
  });

  router.get('/api/images/:taskId', async (ctx) => {
    const taskId = ctx.params.taskId!;
    const objectKey = await imageKeyOf(tasks, taskId, visibleOwner(ctx));
    if (queryFlag(ctx.query, 'redirect') === true) {
      const link = await links.linkFor(taskId, objectKey);
      ctx.set('cache-control', 'no-store');
      ctx.redirect(link.url);
      return;
    }
    const info = await fromStore(taskId, () => store.head(objectKey));
    if (!info) throw validationError('NOT_FOUND', `the image of task ${taskId} is no longer stored`, { taskId });
    ctx.set({ etag: info.etag, 'accept-ranges': 'bytes', 'last-modified': info.lastModified.toUTCString() });
    ctx.set('cache-control', info.cacheControl ?? 'private, max-age=86400, immutable');
    if (ctx.get('if-none-match') === info.etag) {
      ctx.status = 304;
      return;
    }
    const rangeHeader = ctx.get('range');
    const range = rangeHeader ? parseRange(rangeHeader, info.size) : undefined;
    if (rangeHeader && !range) {
      ctx.set('content-range', `bytes */${info.size}`);
      throw validationError('RANGE_NOT_SATISFIABLE', `cannot serve range ${rangeHeader} of ${info.size} bytes`, { field: 'Range', size: info.size });
    }
    const object = await fromStore(taskId, () => store.get(objectKey, range));
    if (!object) throw validationError('NOT_FOUND', `the image of task ${taskId} is no longer stored`, { taskId });
    ctx.type = object.contentType;
    if (object.range) {
      ctx.status = 206;
      ctx.set('content-range', `bytes ${object.range.start}-${object.range.end}/${object.size}`);
      ctx.length = object.range.end - object.range.start + 1;
    } else {
      ctx.status = 200;
      ctx.length = object.size;
    }
    ctx.body = object.stream;
  });
}
