/**
 * Builders of the OpenAPI pieces the operations repeat: envelopes with examples, image answers,
 * error answers grouped by status with one example per reason, parameters from zod objects, and
 * the headers the farm sets.
 */
import type { z } from 'zod';
import type { ErrorReason } from '../../errors/farm-error.js';
import { CONTENT_TYPES } from '../../renderer/render-request.js';
import { ERROR_REASON_DOCS } from '../../errors/error-reasons.js';
import { errorEnvelopeSchema } from './envelope-schemas.js';
import { inlineSchema, refTo, type JsonSchema } from './json-schemas.js';

/** An OpenAPI object; the document is plain JSON. */
export type OpenApiObject = Record<string, unknown>;

/** Response headers of the farm, by name. */
export const HEADERS = {
  'X-Request-Id': { description: "The request's id (the caller's when usable); quote it when reporting a problem.", schema: { type: 'string' } },
  'X-Render-Fingerprint': { description: 'Hash of the render fingerprint that drew the image.', schema: { type: 'string' } },
  'X-Render-Settled-By': {
    description:
      '`finished`: captured when the chart and everything it depends on was ready; `cap`: only looping effects were left after RENDER_FINISHED_WAIT_MS.',
    schema: { type: 'string', enum: ['finished', 'cap'] },
  },
  'Server-Timing': {
    description: 'Milliseconds of each render step: `acquire;dur=…, viewport;dur=…, setOption;dur=…, settle;dur=…, capture;dur=…, total;dur=…`.',
    schema: { type: 'string' },
  },
  'Retry-After': { description: 'Seconds to wait before sending the request again.', schema: { type: 'integer' } },
  ETag: { description: 'Tag of the stored image; send it back as If-None-Match.', schema: { type: 'string' } },
  'Content-Range': { description: '`bytes <start>-<end>/<size>` of a partial answer.', schema: { type: 'string' } },
  'Accept-Ranges': { description: '`bytes`: a single byte range may be asked with Range.', schema: { type: 'string' } },
  Allow: { description: 'The methods the path accepts.', schema: { type: 'string' } },
  Location: { description: 'Where the answer is.', schema: { type: 'string' } },
} as const;

type HeaderName = keyof typeof HEADERS;

/** The response headers `names`, X-Request-Id (set on every answer) first. */
export function responseHeaders(names: HeaderName[]): OpenApiObject {
  return Object.fromEntries(['X-Request-Id' as const, ...names].map((name) => [name, HEADERS[name]]));
}

/** A JSON answer whose body is the registered envelope `schema`, with one example. */
export function jsonAnswer(description: string, schema: z.ZodType, example: unknown, headerNames: HeaderName[] = []): OpenApiObject {
  return {
    description,
    headers: responseHeaders(headerNames),
    content: { 'application/json': { schema: refTo(schema), example } },
  };
}

/** The content of an answer that is the image itself, in any format the farm draws. */
export function imageContent(): OpenApiObject {
  return Object.fromEntries(
    [...new Set(Object.values(CONTENT_TYPES))].map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
  );
}

/** An answer that is the image itself. */
export function imageAnswer(description: string, headerNames: HeaderName[]): OpenApiObject {
  return { description, headers: responseHeaders(headerNames), content: imageContent() };
}

/** An answer without a body. */
export function emptyAnswer(description: string, headerNames: HeaderName[] = []): OpenApiObject {
  return { description, headers: responseHeaders(headerNames) };
}

/** The error envelope a reason produces, as an example. */
export function errorExample(reason: ErrorReason): OpenApiObject {
  const doc = ERROR_REASON_DOCS[reason];
  const status = doc.status;
  return {
    // Example summaries show as plain text in viewers' pickers: no Markdown.
    summary: `${reason}: ${doc.meaning.replaceAll('`', '')}`,
    value: { code: status, msg: doc.exampleMessage, data: null, error: { type: doc.type, reason, details: doc.exampleDetails ?? {} } },
  };
}

/**
 * The error answers of an operation, one per status, each with an example per reason. Every
 * operation may fail with INTERNAL (500).
 */
/** Reasons whose answers carry Retry-After. */
const RETRY_AFTER_REASONS: ReadonlySet<ErrorReason> = new Set(['QUEUE_FULL', 'QUEUE_UNAVAILABLE', 'SHUTTING_DOWN', 'RATE_LIMITED', 'QUOTA_EXCEEDED', 'STORAGE_UNAVAILABLE', 'OVERLOADED']);

export function errorAnswers(errors: ErrorReason[]): Record<string, OpenApiObject> {
  const byStatus = new Map<number, ErrorReason[]>();
  for (const reason of [...errors, 'INTERNAL' as const]) {
    const { status } = ERROR_REASON_DOCS[reason];
    byStatus.set(status, [...(byStatus.get(status) ?? []), reason]);
  }
  const answers: Record<string, OpenApiObject> = {};
  for (const [status, reasons] of [...byStatus].sort(([a], [b]) => a - b)) {
    const retryable = reasons.some((reason) => RETRY_AFTER_REASONS.has(reason));
    answers[String(status)] = {
      description: reasons.map((reason) => `\`${reason}\``).join(', '),
      headers: responseHeaders(retryable ? ['Retry-After'] : []),
      content: {
        'application/json': {
          schema: refTo(errorEnvelopeSchema),
          examples: Object.fromEntries(reasons.map((reason) => [reason, errorExample(reason)])),
        },
      },
    };
  }
  return answers;
}

/** OpenAPI parameters from the fields of a zod object: their schemas, descriptions and examples. */
export function parametersOf(schema: z.ZodObject, where: 'path' | 'query' | 'header'): OpenApiObject[] {
  const json = inlineSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, examples, ...fieldSchema } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      description,
      schema: fieldSchema,
      ...(Array.isArray(examples) && examples.length > 0 ? { example: examples[0] } : {}),
    };
  });
}
