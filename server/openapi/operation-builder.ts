/**
 * How an operation of the document is put together: its OpenAPI object, plus the error answers
 * (grouped by status, one example per reason) derived from the reasons it may fail with.
 */
import type { z } from 'zod';
import { isOpenPath } from '../auth/open-paths.js';
import { refTo } from './json-schemas.js';
import { taskIdParamDocs } from './request-schemas.js';
import { errorAnswers, parametersOf, type OpenApiObject } from './responses.js';
import type { ErrorReason } from '../../errors/error-reasons.js';

/** The methods the farm answers. */
export type HttpMethod = 'get' | 'post' | 'delete';

/** One operation as the document holds it. */
export interface OperationDoc {
  method: HttpMethod;
  /** OpenAPI form: `{taskId}` for a path parameter. */
  path: string;
  operation: OpenApiObject;
}

/** What an operation says besides its answers' envelopes. */
export type OperationFields = { operationId: string; tag: string; summary: string; description?: string; errors: ErrorReason[] } & OpenApiObject;

/** A success envelope, as the examples show it. */
export const ok = <T>(data: T, msg = 'ok', code = 200) => ({ code, msg, data });

/** How a caller shows its key when the farm asks for one (API_KEYS, JWT_SECRET). */
export const SECURITY_SCHEMES = {
  apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A key of API_KEYS.' },
  bearer: { type: 'http', scheme: 'bearer', description: 'A key of API_KEYS, or an HS256 JWT signed with JWT_SECRET whose `sub` names the owner.' },
} as const;

/**
 * The operation at `method path`; `errors` become its error answers, INTERNAL (500) included, and
 * UNAUTHORIZED (and RATE_LIMITED for a POST) unless the path is open.
 */
export function operation(method: HttpMethod, path: string, fields: OperationFields): OperationDoc {
  const { operationId, tag, summary, errors, responses, ...rest } = fields;
  const open = isOpenPath(path);
  const guarded: ErrorReason[] = open ? [] : ['UNAUTHORIZED', ...(method === 'post' ? (['RATE_LIMITED'] as const) : [])];
  return {
    method,
    path,
    operation: {
      operationId,
      tags: [tag],
      summary,
      ...rest,
      // Keys are asked for only when the farm is set up with them; an open farm takes none.
      security: open ? [] : [{}, { apiKey: [] }, { bearer: [] }],
      responses: { ...(responses as OpenApiObject), ...errorAnswers([...errors, ...guarded]) },
    },
  };
}

/** A required JSON body of the registered `schema`, with named examples. */
export function jsonBody(schema: z.ZodType, examples: Record<string, { summary: string; value: unknown }>): OpenApiObject {
  return { required: true, content: { 'application/json': { schema: refTo(schema), examples } } };
}

/** The `{taskId}` path parameter of the task and image operations. */
export const taskIdParameters = parametersOf(taskIdParamDocs, 'path');
