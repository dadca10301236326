/** The health, system and documentation operations. */
import { z } from 'zod';
import { DOCS_ASSETS, DOCS_PATH, OPENAPI_PATH } from '../docs-page.js';
import * as envelopes from './answer-envelopes.js';
import { ok, operation, type OperationDoc } from './operation-builder.js';
import { jsonAnswer, parametersOf } from './responses.js';

/** Health and system views. */
export const systemOperations: OperationDoc[] = [
  operation('get', '/healthz', {
    operationId: 'getHealth',
    tag: 'system',
    summary: 'Liveness: the process answers',
    responses: { 200: jsonAnswer('Alive.', envelopes.healthEnvelope, ok({ status: 'ok' })) },
    errors: [],
  }),
  operation('get', '/readyz', {
    operationId: 'getReadiness',
    tag: 'system',
    summary: 'Readiness: a small canary chart renders (an API-only instance: its queue answers)',
    responses: { 200: jsonAnswer('Ready.', envelopes.readinessEnvelope, ok({ ready: true, fingerprint: '3f9a0c1b2d4e5f60', renderMs: 38.2 })) },
    errors: ['NOT_READY'],
  }),
  operation('get', '/api/system/info', {
    operationId: 'getSystemInfo',
    tag: 'system',
    summary: 'Versions, role and render fingerprint',
    responses: {
      200: jsonAnswer('This instance.', envelopes.systemInfoEnvelope, ok({ name: 'echarts-farm', version: '0.1.0', node: 'v20.19.0', role: 'serve', queue: 'redis', fingerprint: null, pool: null, settings: { REDIS_URL: 'redis://:[redacted]@redis:6379', QUEUE_MAX_CONCURRENT: 10, POOL_BROWSERS: 2, STORAGE: 's3' } })),
    },
    errors: ['FORBIDDEN'],
  }),
  operation('get', '/api/system/pool', {
    operationId: 'getPoolStats',
    tag: 'system',
    summary: 'State of the warm page pool',
    responses: {
      200: jsonAnswer('The pool.', envelopes.poolStatsEnvelope, ok({ browsers: 2, connected: 2, launches: 2, crashes: 0, pages: 2, busy: 1, idle: 1, waiting: 0, renders: 1042, failures: 3, timeouts: 0, recycles: 2, pageCrashes: 0, refusedRequests: 0, ratioReloads: 0 })),
    },
    errors: ['FORBIDDEN', 'NOT_FOUND'],
  }),
  operation('get', '/api/system/storage', {
    operationId: 'getStorageStatus',
    tag: 'system',
    summary: 'The object store of this instance (never its secrets) and its signed-URL cache counters',
    responses: {
      200: jsonAnswer('The store.', envelopes.storageStatusEnvelope, ok({ store: { driver: 'local', root: './data/images' }, urlCache: null })),
    },
    errors: ['FORBIDDEN'],
  }),
  operation('get', '/api/system/queue-status', {
    operationId: 'getQueueStatus',
    tag: 'system',
    summary: 'Queue counts (averageProcessingTime in seconds) and capacity',
    responses: {
      200: jsonAnswer('The queue.', envelopes.queueStatusEnvelope, ok({ backend: 'memory', pendingTasks: 3, processingTasks: 2, completedTasks: 940, failedTasks: 4, cancelledTasks: 1, totalProcessed: 945, averageProcessingTime: 0.131, maxPending: 10000, capacity: 10, workers: 1, accepting: true })),
    },
    errors: [],
  }),
  operation('get', '/api/system/workers', {
    operationId: 'listWorkers',
    tag: 'system',
    summary: 'Live workers with their heartbeats',
    responses: {
      200: jsonAnswer('The workers.', envelopes.workersEnvelope, ok({ workers: [{ workerId: 'render-host-1:4242', host: 'render-host-1', pid: 4242, concurrency: 10, active: 2, processed: 940, failed: 4, startedAt: '2024-05-01T08:00:00.000Z', lastHeartbeat: '2024-05-01T08:30:00.000Z' }] })),
    },
    errors: ['FORBIDDEN'],
  }),
];

/** The document and its page. */
export const docsOperations: OperationDoc[] = [
  operation('get', OPENAPI_PATH, {
    operationId: 'getOpenApiDocument',
    tag: 'docs',
    summary: 'This document (OpenAPI 3.1)',
    responses: { 200: { description: 'The document itself, not in an envelope.', content: { 'application/json': { schema: { type: 'object' } } } } },
    errors: [],
  }),
  operation('get', '/metrics', {
    operationId: 'getMetrics',
    tag: 'system',
    summary: 'Prometheus metrics: HTTP, renders and their steps, tasks, pool, queue, Chromium memory',
    responses: { 200: { description: 'The Prometheus text exposition.', content: { 'text/plain': { schema: { type: 'string' } } } } },
    errors: [],
  }),
  operation('get', DOCS_PATH, {
    operationId: 'getDocsPage',
    tag: 'docs',
    summary: 'This documentation as a web page (Swagger UI, served by the farm)',
    responses: { 200: { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } } },
    errors: [],
  }),
  operation('get', `${DOCS_PATH}/{asset}`, {
    operationId: 'getDocsAsset',
    tag: 'docs',
    summary: 'A file of the documentation page',
    parameters: parametersOf(z.object({ asset: z.enum(Object.keys(DOCS_ASSETS) as [string, ...string[]]).meta({ description: 'File name.' }) }), 'path'),
    responses: { 200: { description: 'The file.', content: { 'text/css': {}, 'text/javascript': {}, 'image/png': {} } } },
    errors: ['NOT_FOUND'],
  }),
];

