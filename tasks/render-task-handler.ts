/**
 * The work of one task: render in the pool, store the image, say where it is. Render failures keep
 * their FarmError (retryable or not, as the renderer said); a failed upload is retryable.
 */
import { basename } from 'node:path';
import { isFarmError, systemError } from '../errors/farm-error.js';
import type { ChartRenderer } from '../renderer/chart-renderer.js';
import type { ObjectStore } from '../storage/object-store.js';
import { renderReport } from '../reports/report.js';
import { isStorageError } from '../storage/storage-error.js';
import { objectKeyFor } from './object-keys.js';
import type { TaskHandler } from './task-queue.js';
import { queueWaitMs, type TaskStepObserver } from './task-steps.js';
import type { TaskRecord } from './task.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** The stored image of an identical earlier request, when the cache has one that still exists. */
async function cachedImage(deps: RenderTaskDeps, task: TaskRecord): Promise<{ bytes: Buffer; contentType: string } | null> {
  const earlier = await deps.findCompleted?.(task.requestHash, deps.renderer.fingerprint.hash);
  if (!earlier?.objectKey || earlier.taskId === task.taskId) return null;
  const stored = await deps.store.get(earlier.objectKey).catch(() => null);
  if (!stored) return null;
  return { bytes: await readAll(stored.stream), contentType: stored.contentType };
}

export interface RenderTaskDeps {
  renderer: Pick<ChartRenderer, 'render' | 'fingerprint'>;
  store: Pick<ObjectStore, 'put' | 'get' | 'publicUrl'>;
  /** The result cache (RESULT_CACHE): a completed task with the same request hash and fingerprint. */
  findCompleted?: (requestHash: string, fingerprint: string) => Promise<TaskRecord | null>;
  /** Prefix of every object key. */
  keyPrefix: string;
  /** The URL clients fetch the image from when the store has no public URL of its own. */
  imageUrlFor(taskId: string): string;
  /** Told the timed steps of every attempt that stored its image (logs, metrics). */
  onSteps?: TaskStepObserver;
}

export function renderTaskHandler(deps: RenderTaskDeps): TaskHandler {
  return async (task, signal) => {
    const waitedMs = queueWaitMs(task, Date.now());
    const render = task.config.render;
    const exportJob = task.config.export;
    // A copy, not a reference: each task's image lives and expires with its own record.
    const cached = exportJob ? null : await cachedImage(deps, task);
    const report = exportJob ? await renderReport(exportJob, (request) => deps.renderer.render(request), signal) : null;
    const rendered = cached || report ? null : await deps.renderer.render(render);
    const image = report ?? cached ?? rendered!;
    // A task cancelled or timed out during the render stores nothing.
    signal.throwIfAborted();
    const objectKey = objectKeyFor({
      prefix: deps.keyPrefix,
      ossPath: task.config.ossPath,
      taskId: task.taskId,
      type: report?.extension ?? render.type,
      createdAt: task.createdAt,
    });
    const uploadStarted = performance.now();
    try {
      await deps.store.put(objectKey, image.bytes, { contentType: image.contentType });
    } catch (error) {
      if (isFarmError(error)) throw error;
      // A key the store refuses never works; a store that is down may work on the next attempt.
      const retryable = isStorageError(error) ? error.retryable : true;
      throw systemError('UPLOAD_FAILED', `storing the image failed: ${(error as Error).message}`, { retryable, cause: error });
    }
    deps.onSteps?.(task, { queueWaitMs: waitedMs, render: rendered?.steps ?? null, uploadMs: performance.now() - uploadStarted, settledBy: rendered?.settledBy ?? null });
    return {
      objectKey,
      imageUrl: deps.store.publicUrl(objectKey) ?? deps.imageUrlFor(task.taskId),
      fileName: basename(objectKey),
      contentType: image.contentType,
      bytes: image.bytes.length,
      fingerprint: deps.renderer.fingerprint.hash,
      cached: cached !== null,
      ...(rendered?.missingGlyphs.length ? { missingGlyphs: rendered.missingGlyphs } : {}),
    };
  };
}
