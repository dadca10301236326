/** The chart operations: generate (queued or synchronous), batch, compare, and the legacy export. */
import { z } from 'zod';
import * as envelopes from './answer-envelopes.js';
import { jsonBody, ok, operation, type OperationDoc } from './operation-builder.js';
import { refTo } from './json-schemas.js';
import { batchRequestSchema, GENERATE_EXAMPLES, generateQueryDocs, generateRequestSchema, legacyExportRequestSchema } from './request-schemas.js';
import { imageAnswer, imageContent, jsonAnswer, parametersOf, responseHeaders } from './responses.js';
import type { ErrorReason } from '../../errors/error-reasons.js';
import { EXAMPLE_PNG_BASE64, compareRequestSchema } from './compare-schemas.js';
import { EXAMPLE_PENDING_TASK } from './task-schemas.js';

// The errors every route that takes a JSON body may answer before its own logic runs.
const BODY_ERRORS: ErrorReason[] = ['INVALID_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'INVALID_REQUEST'];
const RENDER_ERRORS: ErrorReason[] = [
  'INVALID_OPTION',
  'FUNCTIONS_NOT_ALLOWED',
  'UNKNOWN_THEME',
  'MAP_NOT_REGISTERED',
  'RENDER_FAILED',
  'RENDER_TIMEOUT',
  'RENDER_UNSETTLED',
  'BROWSER_CRASHED',
  'POOL_EXHAUSTED',
  'POOL_CLOSED',
  'OVERLOADED',
  'MISSING_GLYPHS',
];

const EXAMPLE_SUBMITTED = { ...EXAMPLE_PENDING_TASK, existing: false };

/** Operations that render charts. */
export const chartOperations: OperationDoc[] = [
  operation('post', '/api/charts/generate', {
    operationId: 'generateChart',
    tag: 'charts',
    summary: 'Render a chart: queue a task, or with async=false answer the image now',
    description:
      'By default the chart is queued and the answer (202) holds the task; follow it with `statusUrl`, the events stream or a ' +
      'webhook. With `async=false` (query or body) the chart is rendered in the request and the answer is the image itself ' +
      '(or, with `base64=true`, a data URL in the envelope). A request identical to a completed one may get a copy of its image (`cached`).',
    parameters: [
      ...parametersOf(generateQueryDocs, 'query'),
      ...parametersOf(
        z.object({ 'Idempotency-Key': z.string().max(256).optional().meta({ description: 'Same as the body field `idempotencyKey`, which wins.' }) }),
        'header',
      ),
    ],
    requestBody: jsonBody(generateRequestSchema, GENERATE_EXAMPLES),
    responses: {
      200: {
        description:
          'With `async=false`: the image, in the asked format (with `base64=true`: RenderedDataUrlEnvelope). ' +
          'In task mode: the earlier task with the same idempotency key (SubmittedTaskEnvelope, `existing: true`).',
        headers: responseHeaders(['X-Render-Fingerprint', 'X-Render-Settled-By', 'Server-Timing']),
        content: {
          ...imageContent(),
          'application/json': {
            schema: { oneOf: [refTo(envelopes.renderedDataUrlEnvelope), refTo(envelopes.submittedTaskEnvelope)] },
            example: ok({ image: 'data:image/png;base64,iVBORw0KGgo…', fingerprint: '3f9a0c1b2d4e5f60', steps: { acquireMs: 0.1, viewportMs: 0.4, setOptionMs: 21.5, settleMs: 17.2, captureMs: 9.8, totalMs: 49 } }),
          },
        },
      },
      202: jsonAnswer('The task was queued.', envelopes.submittedTaskEnvelope, ok(EXAMPLE_SUBMITTED, 'queued', 202)),
    },
    errors: [...BODY_ERRORS, ...RENDER_ERRORS, 'NOT_IMPLEMENTED', 'QUEUE_FULL', 'QUEUE_UNAVAILABLE', 'QUOTA_EXCEEDED', 'IDEMPOTENCY_CONFLICT', 'SHUTTING_DOWN'],
  }),
  operation('post', '/api/charts/batch', {
    operationId: 'submitBatch',
    tag: 'charts',
    summary: 'Queue many charts in one request',
    description: 'Every chart is validated first: the batch is refused whole (naming the index of the bad chart) or queued whole.',
    requestBody: jsonBody(batchRequestSchema, {
      two: { summary: 'Two charts', value: { charts: [GENERATE_EXAMPLES.queued.value, GENERATE_EXAMPLES.svg.value] } },
    }),
    responses: {
      202: jsonAnswer('The tasks, in the order of `charts`.', envelopes.batchResultEnvelope, ok({ tasks: [EXAMPLE_SUBMITTED] }, 'queued', 202)),
    },
    errors: [...BODY_ERRORS, 'INVALID_OPTION', 'FUNCTIONS_NOT_ALLOWED', 'QUEUE_FULL', 'QUEUE_UNAVAILABLE', 'QUOTA_EXCEEDED', 'SHUTTING_DOWN'],
  }),
  operation('post', '/api/charts/compare', {
    operationId: 'compareImages',
    tag: 'charts',
    summary: 'Compare two PNGs, or a render with a PNG, pixel by pixel',
    description: 'The figures of `echarts-farm compare` and a diff image. With `render`, the farm draws the chart first and answers it too, with its fingerprint.',
    requestBody: jsonBody(compareRequestSchema, {
      twoImages: { summary: 'Two PNGs', value: { expected: `data:image/png;base64,${EXAMPLE_PNG_BASE64}`, actual: EXAMPLE_PNG_BASE64 } },
      render: {
        summary: 'A golden against a fresh render',
        value: { expected: `data:image/png;base64,${EXAMPLE_PNG_BASE64}`, render: { option: GENERATE_EXAMPLES.queued.value.option, width: 600, height: 400 } },
      },
    }),
    responses: {
      200: jsonAnswer(
        'The comparison.',
        envelopes.compareResultEnvelope,
        ok({ match: false, width: 600, height: 400, differingPixels: 12, totalPixels: 240000, share: 0.00005, threshold: 0, diff: 'data:image/png;base64,iVBORw0KGgo…' }),
        ['X-Render-Fingerprint'],
      ),
    },
    errors: [...BODY_ERRORS, ...RENDER_ERRORS, 'NOT_IMPLEMENTED'],
  }),
  operation('post', '/', {
    operationId: 'legacyExport',
    tag: 'charts',
    summary: 'Legacy synchronous export: {type, width, height, option} in, image out',
    requestBody: jsonBody(legacyExportRequestSchema, { bar: { summary: 'A PNG', value: { type: 'png', width: 600, height: 400, option: GENERATE_EXAMPLES.queued.value.option } } }),
    responses: { 200: imageAnswer('The image.', ['X-Render-Fingerprint', 'X-Render-Settled-By', 'Server-Timing']) },
    errors: [...BODY_ERRORS, ...RENDER_ERRORS, 'NOT_IMPLEMENTED'],
  }),
];

