/**
 * The storage answers as zod schemas: where a task's image can be fetched, and which object store
 * this instance writes to. Checked against the types the routes build.
 */
import { z } from 'zod';
import type { UrlCacheCounts } from '../../storage/url-cache-counters.js';
import type { ImageLink } from '../image-links.js';
import type { Describes } from './describes.js';

/** `GET /api/images/{taskId}/url`. */
export const imageLinkSchema = z
  .object({
    url: z.string().meta({
      description: "The store's public URL, a signed URL of a private bucket, or the farm's own `/api/images/{taskId}`.",
      examples: ['https://charts.example.com/reports/7d1c3f0e-4b8a-4c55-9a1e-2f6b3c9d8e10.png'],
    }),
    expiresAt: z.iso.datetime().nullable().meta({ description: 'When a signed URL stops working (ISO 8601 UTC); null for a URL that does not expire.' }),
  })
  .meta({ id: 'ImageLink', description: 'Where to fetch the image. Signed URLs are cached and refreshed before they expire.' });
true satisfies Describes<typeof imageLinkSchema, ImageLink>;

const urlCacheCountsSchema = z.object({
  hits: z.int().min(0).meta({ description: 'URLs answered from the cache.' }),
  misses: z.int().min(0).meta({ description: 'URLs signed in the request because the cache had none fresh enough.' }),
  refreshes: z.int().min(0).meta({ description: 'URLs signed anew by the background refresher.' }),
  errors: z.int().min(0).meta({ description: 'Failures of the cache backend or of signing.' }),
});
true satisfies Describes<typeof urlCacheCountsSchema, UrlCacheCounts>;

/** `GET /api/system/storage`. */
export const storageStatusSchema = z
  .object({
    store: z
      .object({
        driver: z.enum(['local', 'oss', 's3']).meta({ description: 'STORAGE.' }),
        private: z.boolean().optional().meta({ description: 'True when the store hands out signed URLs (a private bucket).' }),
      })
      .catchall(z.unknown())
      .meta({ description: 'What the driver says about itself (bucket, region, folder…); never secrets.' }),
    urlCache: urlCacheCountsSchema.nullable().meta({ description: 'Signed-URL cache counters of this process; null when it signs no URLs.' }),
  })
  .meta({ id: 'StorageStatus', description: 'The object store of this instance.' });
