/**
 * The OpenAPI document against the code: every route of the router is documented and every
 * documented operation is a route, every `$ref` resolves, every request field is described, every
 * reason a client can be answered appears in an operation, and every example is accepted by the
 * validator the route uses (requests) or by the document's own schema (answers).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type Router from '@koa/router';
import pino from 'pino';
import { configWith } from '../../config/load-config.js';
import { FarmMetrics } from '../../ops/farm-metrics.js';
import { createApp } from '../../server/create-app.js';
import { parseGenerateRequest, parseLegacyExportRequest } from '../../server/chart-requests.js';
import { parseCompareRequest } from '../../server/compare-request.js';
import { ERROR_REASON_DOCS } from '../../errors/error-reasons.js';
import { buildOpenApiDocument } from '../../server/openapi/openapi-document.js';
import { readPackageInfo } from '../../server/package-info.js';
import { LocalObjectStore } from '../../storage/local-store.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import { schemaProblems } from '../helpers/json-schema-check.js';

type Json = Record<string, any>;

const document = buildOpenApiDocument(readPackageInfo()) as Json;
const operations = Object.entries(document.paths as Json).flatMap(([path, methods]) =>
  Object.entries(methods as Json).map(([method, operation]) => ({ path, method, operation: operation as Json })),
);

/** `METHOD /path/{param}` of every route of an app built with every part (renderer, tasks, store). */
function routesOfFullApp(): string[] {
  const unused = () => {
    throw new Error('not called while listing routes');
  };
  const app = createApp({
    renderer: { render: unused, stats: unused, fingerprint: undefined as never },
    config: configWith({}),
    logger: pino({ level: 'silent' }),
    tasks: { queue: new MemoryTaskQueue(), accepting: () => true },
    store: new LocalObjectStore({ root: mkdtempSync(join(tmpdir(), 'farm-openapi-')) }),
    metrics: new FarmMetrics(),
  });
  // @koa/router marks its dispatch middleware with the router it dispatches for.
  const router = app.middleware.map((middleware) => (middleware as { router?: Router }).router).find(Boolean);
  assert.ok(router, 'the app uses a @koa/router router');
  return router.stack.flatMap((layer) =>
    layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`),
  );
}

function walk(node: unknown, visit: (value: Json) => void): void {
  if (node === null || typeof node !== 'object') return;
  visit(node as Json);
  for (const child of Object.values(node)) walk(child, visit);
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with a unique operationId on every operation', () => {
    assert.equal(document.openapi, '3.1.0');
    const ids = operations.map(({ operation }) => operation.operationId);
    assert.equal(new Set(ids).size, ids.length, `operationIds repeat: ${ids.join(', ')}`);
  });

  it('documents every route of the router, and every documented operation is a route', () => {
    const routes = new Set(routesOfFullApp());
    const documented = new Set(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`));
    assert.deepEqual([...routes].filter((route) => !documented.has(route)), [], 'routes missing from server/openapi/*-operations.ts');
    assert.deepEqual([...documented].filter((route) => !routes.has(route)), [], 'documented operations no route answers');
  });

  it('declares every path parameter, and every $ref resolves', () => {
    for (const { path, method, operation } of operations) {
      const declared = (operation.parameters ?? []).filter((parameter: Json) => parameter.in === 'path').map((parameter: Json) => parameter.name);
      assert.deepEqual(declared.sort(), [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort(), `${method} ${path}`);
    }
    walk(document, (node) => {
      if (typeof node.$ref === 'string') assert.deepEqual(schemaProblems(null, { $ref: node.$ref }, document).filter((p) => p.startsWith('unresolved')), []);
    });
  });

  it('describes every request field and parameter', () => {
    const schemas = document.components.schemas as Json;
    const requests = Object.keys(schemas).filter((name) => name.endsWith('Request'));
    assert.ok(requests.length >= 4, requests.join(', '));
    for (const name of requests) {
      for (const [field, schema] of Object.entries(schemas[name].properties as Json)) {
        assert.ok((schema as Json).description, `${name}.${field} has no description (server/openapi/request-schemas.ts)`);
      }
    }
    for (const { path, operation } of operations) {
      for (const parameter of operation.parameters ?? []) assert.ok(parameter.description, `${path} parameter ${parameter.name}`);
    }
  });

  it('shows every reason a client can be answered with in some operation, with its documented status', () => {
    const shown = new Map<string, Set<string>>();
    for (const { operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        for (const reason of Object.keys(response.content?.['application/json']?.examples ?? {})) {
          shown.set(reason, (shown.get(reason) ?? new Set()).add(status));
        }
      }
    }
    for (const [reason, doc] of Object.entries(ERROR_REASON_DOCS)) {
      // Task-only reasons live in TaskView.error; a 405 is answered for the methods no operation has.
      if (doc.seenIn === 'task' || reason === 'METHOD_NOT_ALLOWED') continue;
      assert.ok(shown.get(reason)?.has(String(doc.status)), `${reason} (${doc.status}) appears in no operation`);
    }
    const reasonEnum = document.components.schemas.ErrorEnvelope.properties.error.properties.reason.enum as string[];
    assert.deepEqual(reasonEnum, Object.keys(ERROR_REASON_DOCS));
  });

  it('has request examples the routes accept', () => {
    const policy = { allowFunctions: false };
    const body = (operationId: string) => operations.find(({ operation }) => operation.operationId === operationId)!.operation.requestBody;
    for (const [name, example] of Object.entries(body('generateChart').content['application/json'].examples as Json)) {
      assert.doesNotThrow(() => parseGenerateRequest(example.value, {}, policy), `generate example ${name}`);
    }
    for (const example of Object.values(body('legacyExport').content['application/json'].examples as Json)) {
      assert.doesNotThrow(() => parseLegacyExportRequest(example.value, policy));
    }
    for (const example of Object.values(body('submitBatch').content['application/json'].examples as Json)) {
      for (const chart of example.value.charts) assert.doesNotThrow(() => parseGenerateRequest(chart, {}, policy));
    }
    for (const [name, example] of Object.entries(body('compareImages').content['application/json'].examples as Json)) {
      assert.doesNotThrow(() => parseCompareRequest(example.value, policy), `compare example ${name}`);
    }
  });

  it('has answer examples that conform to their own schemas', () => {
    let checked = 0;
    for (const { path, method, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        const json = response.content?.['application/json'];
        if (!json?.schema) continue;
        const examples = json.example !== undefined ? [json.example] : Object.values(json.examples ?? {}).map((example: any) => example.value);
        for (const example of examples) {
          assert.deepEqual(schemaProblems(example, json.schema, document), [], `${method} ${path} ${status}`);
          checked += 1;
        }
      }
    }
    assert.ok(checked > 30, `only ${checked} examples`);
  });
});
