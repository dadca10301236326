/**
 * What a render needs, its bounds, and the one place that checks a request against them. The server
 * and the CLI both pass their input through `parseRenderRequest`, so a bad value gets the same error
 * everywhere.
 */
import { color } from 'echarts/core';
import { z } from 'zod';
import { validationError } from '../errors/farm-error.js';
import { findOptionProblem, type OptionLimits } from './option-walk.js';

export const IMAGE_TYPES = ['png', 'jpeg', 'webp', 'svg', 'pdf'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/**
 * What draws the chart: `canvas` and `svg` are ECharts' renderers in the warm Chromium page; `ssr` is
 * ECharts' server-side SVG in Node (renderer/ssr-engine.ts), no browser, SVG output only.
 */
export const ENGINES = ['canvas', 'svg', 'ssr'] as const;
export type Engine = (typeof ENGINES)[number];

/** Largest `seed`: Math.random's generator takes 32 bits. */
export const MAX_SEED = 0xffff_ffff;

/** Bounds of a render, documented in README.md ("Render limits"). */
export const RENDER_LIMITS = {
  minSide: 1,
  maxSide: 8192,
  minPixelRatio: 1,
  maxPixelRatio: 4,
  /** Device pixels of one image (width × height × ratio²): 8192 × 4096 at ratio 1. */
  maxDevicePixels: 33_554_432,
} as const;

export const DEFAULT_SIZE = { width: 600, height: 400 } as const;
export const DEFAULT_QUALITY = 90;
/** The background a plain page shows. */
export const PAGE_BACKGROUND = '#ffffff';

export const CONTENT_TYPES: Record<ImageType, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
};

/** A render the pool can run: every field present and within bounds. */
export interface RenderRequest {
  /** A JSON option, or JavaScript source declaring `var option` when functions are allowed. */
  option: Record<string, unknown> | string;
  type: ImageType;
  width: number;
  height: number;
  devicePixelRatio: number;
  /** A CSS color or `transparent`; undefined keeps the plain page's white. */
  background?: string;
  theme?: string;
  /** JPEG and WebP quality, 1–100. */
  quality: number;
  engine: Engine;
  /** Seed of Math.random for this render; absent: the page's documented default (pages/determinism.js). */
  seed?: number;
  /** The instant `Date` reads during the render (ISO 8601, UTC); absent: the real clock. */
  frozenTime?: string;
  /** Fail with MISSING_GLYPHS instead of drawing characters no font has as empty boxes. */
  strictFonts?: boolean;
}

const side = z
  .number({ error: 'must be a number of CSS pixels' })
  .int('must be a whole number of CSS pixels')
  .min(RENDER_LIMITS.minSide, `must be at least ${RENDER_LIMITS.minSide}`)
  .max(RENDER_LIMITS.maxSide, `must be at most ${RENDER_LIMITS.maxSide}`);

/** The render fields of a request body; the HTTP schemas extend this one. */
export const renderFieldsSchema = z.object({
  option: z.unknown().optional(),
  type: z.enum(IMAGE_TYPES, { error: `must be one of ${IMAGE_TYPES.join(', ')}` }).default('png'),
  width: side.default(DEFAULT_SIZE.width),
  height: side.default(DEFAULT_SIZE.height),
  devicePixelRatio: z
    .number({ error: 'must be a number' })
    .min(RENDER_LIMITS.minPixelRatio, `must be at least ${RENDER_LIMITS.minPixelRatio}`)
    .max(RENDER_LIMITS.maxPixelRatio, `must be at most ${RENDER_LIMITS.maxPixelRatio}`)
    .default(1),
  backgroundColor: z
    .string({ error: 'must be a CSS color or "transparent"' })
    .max(64)
    .regex(/^[#(),.%\w\s-]+$/, 'must be a CSS color or "transparent"')
    // What ECharts itself reads as a colour: a name, #hex, rgb(a) or hsl(a); anything else would be dropped silently.
    .refine((value) => color.parse(value.trim()) !== undefined, 'must be a colour ECharts reads (a name, #rgb, #rrggbb, rgb(), rgba(), hsl(), hsla()) or "transparent"')
    .optional(),
  theme: z.string().max(64).regex(/^[\w.-]+$/, 'must be a theme name').optional(),
  quality: z.number().int().min(1).max(100).default(DEFAULT_QUALITY),
  renderer: z.enum(ENGINES, { error: `must be one of ${ENGINES.join(', ')}` }).default('canvas'),
  seed: z
    .number({ error: `must be a whole number from 0 to ${MAX_SEED}` })
    .int(`must be a whole number from 0 to ${MAX_SEED}`)
    .min(0, `must be a whole number from 0 to ${MAX_SEED}`)
    .max(MAX_SEED, `must be a whole number from 0 to ${MAX_SEED}`)
    .optional(),
  frozenTime: z
    .iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time with a zone, such as 2024-01-15T12:00:00Z' })
    .optional(),
  strictFonts: z.boolean({ error: 'must be true or false' }).optional(),
});

export type RenderFields = z.input<typeof renderFieldsSchema>;

export interface RequestPolicy {
  allowFunctions: boolean;
  /** MAX_OPTION_DEPTH and MAX_OPTION_NODES; absent: their defaults. */
  limits?: OptionLimits;
}

/** The defaults of MAX_OPTION_DEPTH and MAX_OPTION_NODES (config/settings.ts; a unit test keeps them equal). */
export const DEFAULT_OPTION_LIMITS: OptionLimits = { maxDepth: 64, maxNodes: 5_000_000 };

/** Turns zod issues into the `details` of a VALIDATION_ERROR. */
export function describeIssues(error: z.ZodError): { field: string; problem: string }[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', problem: issue.message }));
}

function engineFor(type: ImageType, renderer: Engine): Engine {
  if (renderer === 'ssr') return 'ssr';
  // SVG and PDF are vector output: both come from ECharts' SVG renderer.
  return type === 'svg' || type === 'pdf' ? 'svg' : renderer;
}

/** Refuses an option deeper or larger than the limits, or (when asked) one holding function source. */
function checkOptionShape(option: object, policy: RequestPolicy, lookForFunctions: boolean, whyFunctionsFail: string): void {
  const limits = policy.limits ?? DEFAULT_OPTION_LIMITS;
  const problem = findOptionProblem(option, limits, lookForFunctions);
  if (!problem) return;
  switch (problem.kind) {
    case 'too-deep':
      throw validationError('INVALID_OPTION', `option nests deeper than ${limits.maxDepth} levels at ${problem.path} (MAX_OPTION_DEPTH)`, {
        field: problem.path,
        limit: 'MAX_OPTION_DEPTH',
        maxDepth: limits.maxDepth,
      });
    case 'too-many-nodes':
      throw validationError('INVALID_OPTION', `option holds more than ${limits.maxNodes} values (MAX_OPTION_NODES)`, {
        field: 'option',
        limit: 'MAX_OPTION_NODES',
        maxNodes: limits.maxNodes,
      });
    case 'function-source':
      throw validationError('FUNCTIONS_NOT_ALLOWED', `${problem.path} holds JavaScript function source; ${whyFunctionsFail}`, { field: problem.path });
  }
}

/** An option sent as the text of a JSON object is that object, not a script. */
function jsonObjectText(option: unknown): unknown {
  if (typeof option !== 'string' || !/^\s*\{/.test(option)) return option;
  try {
    const parsed: unknown = JSON.parse(option);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : option;
  } catch {
    return option;
  }
}

function checkOption(option: unknown, policy: RequestPolicy, serverSide: boolean): Record<string, unknown> | string {
  if (typeof option === 'string') {
    if (!policy.allowFunctions) {
      throw validationError(
        'FUNCTIONS_NOT_ALLOWED',
        'option is JavaScript source, and this farm does not run JavaScript from requests (ALLOW_FUNCTIONS is off); send a JSON object',
        { field: 'option' },
      );
    }
    if (option.trim() === '') throw validationError('INVALID_OPTION', 'option is an empty script', { field: 'option' });
    return option;
  }
  if (option === null || typeof option !== 'object' || Array.isArray(option)) {
    const got = option === null ? 'null' : Array.isArray(option) ? 'an array' : typeof option;
    throw validationError('INVALID_OPTION', `option must be an ECharts option object, got ${got}`, { field: 'option' });
  }
  if (serverSide) checkOptionShape(option, policy, true, 'renderer ssr never runs it (it would be drawn as text)');
  else checkOptionShape(option, policy, !policy.allowFunctions, 'functions are off (ALLOW_FUNCTIONS), so it would be drawn as text');
  return option as Record<string, unknown>;
}

/**
 * The server-side engine runs ECharts in the farm's own process (a worker thread of it): a script
 * there would run with the farm's rights, so it takes JSON options only, whatever ALLOW_FUNCTIONS says.
 */
function checkServerSideRequest(option: unknown, type: ImageType): void {
  if (type !== 'svg') {
    throw validationError('INVALID_REQUEST', `renderer ssr draws SVG only: ask for type svg, not ${type}`, { field: 'renderer' });
  }
  if (typeof option === 'string') {
    throw validationError(
      'FUNCTIONS_NOT_ALLOWED',
      'renderer ssr runs ECharts in the server process, where JavaScript options are never run (whatever ALLOW_FUNCTIONS says); send a JSON object or use renderer svg',
      { field: 'option' },
    );
  }
}

/** Validates render fields and returns a complete request, or throws a VALIDATION_ERROR. */
export function parseRenderRequest(input: unknown, policy: RequestPolicy): RenderRequest {
  const parsed = renderFieldsSchema.safeParse(input);
  if (!parsed.success) {
    const details = describeIssues(parsed.error);
    const first = details[0];
    throw validationError('INVALID_REQUEST', first ? `${first.field} ${first.problem}` : 'invalid request', {
      ...(first ? { field: first.field } : {}),
      issues: details,
    });
  }
  const fields = parsed.data;
  if (fields.option === undefined) throw validationError('INVALID_OPTION', 'option is required', { field: 'option' });
  const given = jsonObjectText(fields.option);
  if (fields.renderer === 'ssr') checkServerSideRequest(given, fields.type);
  const option = checkOption(given, policy, fields.renderer === 'ssr');
  const devicePixels = fields.width * fields.height * fields.devicePixelRatio ** 2;
  if (devicePixels > RENDER_LIMITS.maxDevicePixels) {
    throw validationError(
      'INVALID_REQUEST',
      `width × height × devicePixelRatio² is ${Math.round(devicePixels)} device pixels; the limit is ${RENDER_LIMITS.maxDevicePixels}`,
      { field: 'width' },
    );
  }
  const background = fields.backgroundColor?.trim();
  if (background === 'transparent' && fields.type === 'jpeg') {
    throw validationError('INVALID_REQUEST', 'jpeg has no transparency: pick png, webp, svg or pdf, or a background color', {
      field: 'backgroundColor',
    });
  }
  // Optional fields are left out rather than undefined: the request travels as JSON in task records.
  return {
    option,
    type: fields.type,
    width: fields.width,
    height: fields.height,
    devicePixelRatio: fields.devicePixelRatio,
    ...(background ? { background } : {}),
    ...(fields.theme !== undefined ? { theme: fields.theme } : {}),
    quality: fields.quality,
    engine: engineFor(fields.type, fields.renderer),
    ...(fields.seed !== undefined ? { seed: fields.seed } : {}),
    // One spelling per instant, so equal requests hash equally (tasks/request-hash.ts).
    ...(fields.frozenTime !== undefined ? { frozenTime: new Date(fields.frozenTime).toISOString() } : {}),
    ...(fields.strictFonts ? { strictFonts: true } : {}),
  };
}
