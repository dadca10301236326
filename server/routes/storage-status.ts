/** `GET /api/system/storage`: the object store this instance uses (never its secrets) and its signed-URL cache counters. */
import type { ObjectStore } from '../../storage/object-store.js';
import type { FarmRouter } from '../app-deps.js';
import { requireAdmin } from '../auth/scopes.js';
import { sendData } from '../envelope.js';
import type { ImageLinks } from '../image-links.js';

/** Adds the storage status route to `router`. */
export function addStorageStatusRoute(router: FarmRouter, store: Pick<ObjectStore, 'describe'>, links: Pick<ImageLinks, 'urlCacheCounts'> | undefined): void {
  router.get('/api/system/storage', (ctx) => {
    requireAdmin(ctx);
    // urlCache: null when this instance hands out no signed URLs (local disk, public bucket without cache).
    sendData(ctx, { store: store.describe(), urlCache: links?.urlCacheCounts() ?? null });
  });
}
