/**
 * `POST /api/charts/compare` in the document: its body (the route's own zod schema, each field
 * described) and its answer. The answer is built in the route itself, so the contract test checks
 * it against live answers.
 */
import { z } from 'zod';
import { compareBodySchema } from '../compare-request.js';
import { legacyExportRequestSchema, withFieldDocs } from './request-schemas.js';

/** A 2×1 PNG, small enough for an example. */
export const EXAMPLE_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAAEUlEQVR4AWMMKTj2f3W/JQMAFCwD/lXD11UAAAAASUVORK5CYII=';

/** The body of `POST /api/charts/compare`. */
export const compareRequestSchema = withFieldDocs(compareBodySchema, {
  expected: { description: 'The reference PNG: `data:image/png;base64,…` or bare base64.', examples: [`data:image/png;base64,${EXAMPLE_PNG_BASE64}`] },
  actual: { description: 'The PNG compared with it. Exactly one of `actual` and `render`.' },
  render: {
    description: 'A render request (the fields of generate, type png) whose image is compared. Exactly one of `actual` and `render`.',
    documentAs: legacyExportRequestSchema.optional(),
  },
  threshold: { description: 'Share of pixels (0 to 1) allowed to differ for `match`; 0 allows none.' },
  colorThreshold: { description: "pixelmatch's colour distance (0 to 1) under which two pixels count as equal; 0 counts any change." },
  ignoreAntialiasing: { description: 'Leave out pixels pixelmatch takes for anti-aliasing (between machines with other fonts).' },
}).meta({
  id: 'CompareRequest',
  description: 'Two PNGs, or a PNG and a render request, compared pixel by pixel. Images of different sizes are refused (INVALID_REQUEST, `details.problem` IMAGE_SIZE_MISMATCH).',
});

const dataUrl = (description: string) => z.string().meta({ description, examples: ['data:image/png;base64,iVBORw0KGgo…'] });

/** The answer of `POST /api/charts/compare`. */
export const compareResultSchema = z
  .object({
    match: z.boolean().meta({ description: 'True when the differing share is within `threshold` (with 0: no pixel differs).' }),
    width: z.int().meta({ description: 'Width of both images in pixels.' }),
    height: z.int(),
    differingPixels: z.int().min(0),
    totalPixels: z.int().min(0),
    share: z.number().min(0).max(1).meta({ description: '`differingPixels / totalPixels`.' }),
    threshold: z.number().min(0).max(1).meta({ description: 'The allowance the answer was judged with.' }),
    diff: dataUrl('The diff as a PNG data URL: the expected image faded to grey, differing pixels in red.'),
    actual: dataUrl('With `render`: the rendered image.').optional(),
    fingerprint: z.string().optional().meta({ description: 'With `render`: the render fingerprint hash that drew it.' }),
  })
  .meta({ id: 'CompareResult', description: 'The figures of the comparison and its diff image.' });
