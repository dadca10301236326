/**
 * The request bodies of the chart routes, declared once with zod (DESIGN.md: the same declaration
 * validates requests and will generate the OpenAPI document), and the parsers the routes call. The
 * render fields go through the renderer's own `parseRenderRequest`, so a bad value gets the same
 * error from the HTTP API and the CLI.
 */
import type { ParsedUrlQuery } from 'node:querystring';
import { z } from 'zod';
import { validationError } from '../errors/farm-error.js';
import type { Config } from '../config/settings.js';
import { MAX_OSS_PATH_LENGTH, validateOssPath } from '../tasks/object-keys.js';
import { TASK_PRIORITIES } from '../tasks/task.js';
import { refuseUnknownFields } from './request-fields.js';
import {
  describeIssues,
  parseRenderRequest,
  renderFieldsSchema,
  type RenderRequest,
  type RequestPolicy,
} from '../renderer/render-request.js';

/** What the farm's settings allow in a request: functions, and how deep and large an option may be. */
export function requestPolicyOf(config: Pick<Config, 'allowFunctions' | 'maxOptionDepth' | 'maxOptionNodes'>): RequestPolicy {
  return { allowFunctions: config.allowFunctions, limits: { maxDepth: config.maxOptionDepth, maxNodes: config.maxOptionNodes } };
}

/** The fields of `POST /api/charts/generate` besides the render fields. */
export const generateExtrasSchema = z.object({
  /** `false` renders in the request and answers the image; the default queues a task. */
  async: z.boolean({ error: 'must be true or false' }).optional(),
  /** With `async: false`: answer `{image: <data URL>}` in the envelope instead of the bytes. */
  base64: z.boolean({ error: 'must be true or false' }).optional(),
  /** Folder of the stored image below the storage prefix (task mode); checked by validateOssPath. */
  ossPath: z
    .string({ error: 'must be a string' })
    .max(MAX_OSS_PATH_LENGTH, `must be at most ${MAX_OSS_PATH_LENGTH} characters long`)
    .superRefine((value, context) => {
      try {
        validateOssPath(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: String((error as { details?: { problem?: string } }).details?.problem ?? (error as Error).message) });
      }
    })
    .optional(),
  /** Queue priority (task mode). */
  priority: z.enum(TASK_PRIORITIES, { error: `must be one of ${TASK_PRIORITIES.join(', ')}` }).optional(),
  /** A repeated key returns the first task instead of queueing a second one (task mode). */
  idempotencyKey: z.string().min(1).max(256).optional(),
  /**
   * Called when the task ends (task mode). Only the URL's syntax is declared here. The check of the
   * address it may call belongs on this one field (a refinement here refuses it at the gate, for
   * generate and every chart of a batch alike), and again where the webhook is sent.
   */
  callbackUrl: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2048).optional(),
});

/** The whole body of `POST /api/charts/generate`. */
export const generateBodySchema = renderFieldsSchema.extend(generateExtrasSchema.shape);

/** Every field a generate body may hold. */
export const GENERATE_FIELDS: readonly string[] = Object.keys(generateBodySchema.shape);
/** Every field a render request may hold (the legacy export, compare's `render`). */
export const RENDER_FIELDS: readonly string[] = Object.keys(renderFieldsSchema.shape);

/** A validated `POST /api/charts/generate`. */
export interface GenerateRequest {
  render: RenderRequest;
  /** True when the client asked for `async=false`. */
  sync: boolean;
  base64: boolean;
  /** Task fields, ignored by the synchronous path. */
  task: Pick<z.infer<typeof generateExtrasSchema>, 'ossPath' | 'priority' | 'idempotencyKey' | 'callbackUrl'>;
}

function expectObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const got = body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body;
    throw validationError('INVALID_REQUEST', `the request body must be a JSON object, got ${got}`);
  }
  return body as Record<string, unknown>;
}

/** A boolean switch given in the query string, `undefined` when absent. */
export function queryFlag(query: ParsedUrlQuery, name: string): boolean | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw validationError('INVALID_REQUEST', `query parameter ${name} must be true or false`, { field: `query.${name}` });
}

/** Validates the body (and `async`/`base64` from the query, which win over the body) of a generate call. */
export function parseGenerateRequest(body: unknown, query: ParsedUrlQuery, policy: RequestPolicy): GenerateRequest {
  const fields = expectObject(body);
  refuseUnknownFields(fields, GENERATE_FIELDS);
  const render = parseRenderRequest(fields, policy);
  const extras = generateExtrasSchema.safeParse(fields);
  if (!extras.success) {
    const issues = describeIssues(extras.error);
    throw validationError('INVALID_REQUEST', issues.map((issue) => `${issue.field} ${issue.problem}`).join('; '), { field: issues[0]?.field, issues });
  }
  const { async, base64, ...task } = extras.data;
  return {
    render,
    sync: (queryFlag(query, 'async') ?? async) === false,
    base64: (queryFlag(query, 'base64') ?? base64) === true,
    task,
  };
}

/** Validates the legacy export body `{type, width, height, option}` of `POST /`. */
export function parseLegacyExportRequest(body: unknown, policy: RequestPolicy): RenderRequest {
  const fields = expectObject(body);
  refuseUnknownFields(fields, RENDER_FIELDS);
  return parseRenderRequest(fields, policy);
}
