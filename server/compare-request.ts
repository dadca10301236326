/**
 * The body of `POST /api/charts/compare`, declared once with zod (the same declaration validates
 * requests and documents them): an expected PNG and either an actual PNG or a render request whose
 * PNG is compared, plus the comparison's allowance. PNGs travel as data URLs or bare base64.
 */
import { z } from 'zod';
import { validationError } from '../errors/farm-error.js';
import { RENDER_FIELDS } from './chart-requests.js';
import { refuseUnknownFields } from './request-fields.js';
import { checkPngHeader } from '../renderer/image-compare.js';
import { describeIssues, parseRenderRequest, type RenderRequest, type RequestPolicy } from '../renderer/render-request.js';

const share = (what: string) => z.number({ error: `must be a number from 0 to 1 (${what})` }).min(0, 'must be at least 0').max(1, 'must be at most 1');

/** `POST /api/charts/compare`. */
export const compareBodySchema = z.object({
  /** The reference PNG: `data:image/png;base64,…` or bare base64. */
  expected: z.string({ error: 'must be a PNG as a data URL or base64' }).min(1, 'must be a PNG as a data URL or base64'),
  /** The PNG compared with it; exactly one of `actual` and `render`. */
  actual: z.string({ error: 'must be a PNG as a data URL or base64' }).min(1).optional(),
  /** A render request (the fields of `POST /api/charts/generate`, type png) whose image is compared. */
  render: z.record(z.string(), z.unknown(), { error: 'must be a render request object' }).optional(),
  /** Share of pixels (0 to 1) allowed to differ; 0 allows none. */
  threshold: share('the share of pixels that may differ').default(0),
  /** pixelmatch's colour distance under which two pixels count as equal; 0 counts any change. */
  colorThreshold: share('a colour distance').default(0),
  /** Leave out pixels pixelmatch takes for anti-aliasing. */
  ignoreAntialiasing: z.boolean({ error: 'must be true or false' }).default(false),
});

/** A validated compare request. */
export interface CompareRequest {
  expected: Buffer;
  /** The PNG to compare, or the render that makes it. */
  actual: { png: Buffer } | { render: RenderRequest };
  threshold: number;
  colorThreshold: number;
  ignoreAntialiasing: boolean;
}

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)?(;[\w-]+=[^;,]*)*;base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The bytes of a PNG given as a data URL or bare base64; a VALIDATION_ERROR naming `field` otherwise. */
export function decodeImageField(value: string, field: string): Buffer {
  const prefix = DATA_URL.exec(value);
  if (!prefix && value.startsWith('data:')) {
    throw validationError('INVALID_REQUEST', `${field} is a data URL that is not base64 (use data:image/png;base64,…)`, { field });
  }
  if (prefix?.[1] && prefix[1].toLowerCase() !== 'image/png') {
    throw validationError('INVALID_REQUEST', `${field} is ${prefix[1]}; only PNG images are compared`, { field });
  }
  const base64 = (prefix ? value.slice(prefix[0].length) : value).replace(/\s+/g, '');
  if (base64 === '' || !BASE64.test(base64)) throw validationError('INVALID_REQUEST', `${field} is neither a data URL nor base64`, { field });
  return Buffer.from(base64, 'base64');
}

/** Validates a compare body; the render request goes through the same checks as any render. */
export function parseCompareRequest(body: unknown, policy: RequestPolicy): CompareRequest {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) refuseUnknownFields(body as Record<string, unknown>, Object.keys(compareBodySchema.shape));
  const parsed = compareBodySchema.safeParse(body);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error);
    throw validationError('INVALID_REQUEST', issues.map((issue) => `${issue.field} ${issue.problem}`).join('; '), { issues });
  }
  const fields = parsed.data;
  if ((fields.actual === undefined) === (fields.render === undefined)) {
    throw validationError('INVALID_REQUEST', 'give exactly one of actual (a PNG) and render (a render request)', { field: 'actual' });
  }
  let actual: CompareRequest['actual'];
  if (fields.render !== undefined) {
    refuseUnknownFields(fields.render, RENDER_FIELDS, 'render.');
    const render = parseRenderRequest(fields.render, policy);
    if (render.type !== 'png') throw validationError('INVALID_REQUEST', `render.type must be png to compare pixels, not ${render.type}`, { field: 'render.type' });
    actual = { render };
  } else {
    actual = { png: decodeImageField(fields.actual!, 'actual') };
    checkPngHeader(actual.png, 'actual');
  }
  const expected = decodeImageField(fields.expected, 'expected');
  // The declared size is checked at the gate: a PNG bomb is refused before a render is spent on it.
  checkPngHeader(expected, 'expected');
  return {
    expected,
    actual,
    threshold: fields.threshold,
    colorThreshold: fields.colorThreshold,
    ignoreAntialiasing: fields.ignoreAntialiasing,
  };
}
