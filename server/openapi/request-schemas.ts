/**
 * The request schemas the routes validate with, with a description for each field. The docs are
 * keyed by the fields of the very schemas the routes use, so a field added to a request schema does
 * not compile until it is described here, and the bounds and defaults in the document are the ones
 * the validators enforce.
 */
import { z } from 'zod';
import { generateBodySchema, generateExtrasSchema } from '../chart-requests.js';
import { batchBodySchema, listQuerySchema } from '../task-requests.js';
import { RENDER_LIMITS, renderFieldsSchema } from '../../renderer/render-request.js';

/** What the document says about one field. */
export interface FieldDoc {
  description: string;
  examples?: unknown[];
  /**
   * Documents the field with this schema instead of the validator's, where the validator checks the
   * field later in code (the option is required and checked by parseRenderRequest, for instance).
   */
  documentAs?: z.ZodType;
}

type DocsOf<Shape> = { [Key in keyof Shape]: FieldDoc };

/** A copy of `schema` for the document, every field described; the routes keep validating with `schema` itself. */
export function withFieldDocs<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>, docs: DocsOf<Shape>): z.ZodObject<Shape> {
  const fields = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => {
      // tsc demands a doc for every field; at run time a missing one leaves the field undescribed
      // (a unit test names it) rather than stopping the farm.
      const { documentAs, ...meta } = docs[key as keyof Shape] ?? { description: undefined };
      return [key, (documentAs ?? (field as z.ZodType)).meta(meta)];
    }),
  );
  return schema.extend(fields) as unknown as z.ZodObject<Shape>;
}

const EXAMPLE_OPTION = {
  title: { text: 'Weekly sales' },
  xAxis: { type: 'category', data: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] },
  yAxis: { type: 'value' },
  series: [{ type: 'bar', data: [120, 200, 150, 80, 70] }],
};

const RENDER_FIELD_DOCS: DocsOf<typeof renderFieldsSchema.shape> = {
  option: {
    description:
      'The ECharts option object (JSON). With ALLOW_FUNCTIONS on, also a string of JavaScript that declares `var option = {…}` ' +
      '(callbacks such as formatters); with it off such a string, or function source inside the object, is refused with ' +
      'FUNCTIONS_NOT_ALLOWED. Missing or not an object: INVALID_OPTION. Animation is always off.',
    examples: [EXAMPLE_OPTION],
    documentAs: z.union([z.record(z.string(), z.unknown()), z.string()]),
  },
  type: { description: 'Image format; `svg` and `pdf` are vector, drawn by ECharts\' SVG renderer.' },
  width: { description: 'Width in CSS pixels.' },
  height: { description: 'Height in CSS pixels.' },
  devicePixelRatio: {
    description: `The image is width × ratio by height × ratio pixels; width × height × ratio² is at most ${RENDER_LIMITS.maxDevicePixels} device pixels.`,
  },
  backgroundColor: {
    description: 'A CSS color, or `transparent` (not for jpeg). Unset: white, as a plain page shows.',
    examples: ['#f5f5f5', 'transparent'],
  },
  theme: {
    description: "`dark`, `light`, one of ECharts' bundled themes (`vintage`, `macarons`, …) or a file of THEMES_DIR; unknown: UNKNOWN_THEME.",
    examples: ['dark'],
  },
  quality: { description: 'JPEG and WebP quality.' },
  renderer: {
    description:
      "What draws the chart: `canvas` or `svg`, ECharts' renderers in the warm Chromium page (svg and pdf output always use `svg`); " +
      "`ssr`, ECharts' server-side SVG in Node without a browser (type svg only, JSON options only).",
  },
  seed: { description: 'Seed of Math.random during the render, so layouts that use randomness (force graphs, jitter) come out the same every time; absent: the page\'s fixed default.' },
  frozenTime: {
    description: 'The instant `Date` reads during the render (ISO 8601 with a zone); absent: the real clock.',
    examples: ['2024-01-15T12:00:00Z'],
  },
  strictFonts: {
    description: 'True: fail with MISSING_GLYPHS when the chart has text no font of the page draws, instead of drawing empty boxes (RENDER_STRICT_FONTS makes it the default).',
  },
};

const GENERATE_EXTRA_DOCS: DocsOf<typeof generateExtrasSchema.shape> = {
  async: {
    description: '`false` renders in the request and answers the image itself; otherwise a task is queued (202). The query parameter wins.',
  },
  base64: { description: 'With `async: false`: answer `{image: <data URL>}` in the envelope instead of the bytes. The query parameter wins.' },
  ossPath: { description: 'Folder of the stored image below the storage prefix (task mode): relative, no `..`.', examples: ['reports/2024-05'] },
  priority: { description: 'Queue priority (task mode). Default `normal`.' },
  idempotencyKey: {
    description: 'A repeated key answers the first task (200, `existing: true`) instead of queueing another. Also as the `Idempotency-Key` header.',
    examples: ['report-2024-05'],
  },
  callbackUrl: {
    description:
      'Gets `POST {event: "task.completed" | "task.failed" | "task.cancelled", task}` when the task ends, signed with WEBHOOK_SECRET ' +
      '(header `x-echarts-farm-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`).',
    examples: ['https://example.com/hooks/charts'],
  },
};

/** `POST /api/charts/generate`. */
export const generateRequestSchema = withFieldDocs(generateBodySchema, { ...RENDER_FIELD_DOCS, ...GENERATE_EXTRA_DOCS }).meta({
  id: 'GenerateRequest',
  description: 'A chart to render: the option, its size and format, and for queued tasks where the result goes.',
});

/** `POST /` (legacy export). */
export const legacyExportRequestSchema = withFieldDocs(renderFieldsSchema, RENDER_FIELD_DOCS).meta({
  id: 'LegacyExportRequest',
  description: 'The legacy synchronous export body; answered like generate with `async=false`.',
});

/** `POST /api/charts/batch`. */
export const batchRequestSchema = withFieldDocs(batchBodySchema, {
  charts: {
    description: 'Generate bodies (BATCH_MAX_CHARTS at most, 100 by default). Every chart is checked first: one bad chart refuses the whole batch, naming its index.',
    documentAs: z.array(generateRequestSchema).min(1),
  },
}).meta({ id: 'BatchRequest', description: 'Many charts queued in one request.' });

/** The query of `GET /api/charts/tasks`. */
export const listQueryDocs = withFieldDocs(listQuerySchema, {
  status: { description: 'Only tasks in this status.' },
  cursor: { description: 'The `nextCursor` of the previous page.' },
  limit: { description: 'Tasks per page.' },
});

/** Query switches of `POST /api/charts/generate`, read by the route as `true`/`1` or `false`/`0`. */
export const generateQueryDocs = z.object({
  async: z.enum(['true', 'false', '1', '0']).optional().meta({
    description: '`false` renders in the request and answers the image (wins over the body).',
  }),
  base64: z.enum(['true', 'false', '1', '0']).optional().meta({
    description: 'With `async=false`: the image as a data URL in the envelope instead of bytes (wins over the body).',
  }),
});

/** The path parameter of every task route. */
export const taskIdParamDocs = z.object({
  taskId: z.uuid().meta({ description: 'The `taskId` generate or batch answered.', examples: ['7d1c3f0e-4b8a-4c55-9a1e-2f6b3c9d8e10'] }),
});

/** The example bodies of generate, each accepted by the route's validator (a unit test checks). */
export const GENERATE_EXAMPLES = {
  queued: { summary: 'Queue a PNG task', value: { option: EXAMPLE_OPTION, width: 600, height: 400, priority: 'high' } },
  sync: { summary: 'Render now: JPEG at ratio 2 on a dark theme', value: { option: EXAMPLE_OPTION, type: 'jpeg', devicePixelRatio: 2, theme: 'dark', async: false } },
  svg: { summary: 'An SVG with a transparent background', value: { option: EXAMPLE_OPTION, type: 'svg', backgroundColor: 'transparent' } },
} as const;
