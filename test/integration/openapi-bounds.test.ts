/**
 * The OpenAPI document's bounds are the enforced ones: for every bounded field of GenerateRequest
 * (minimum, maximum, maxLength), a request at the bound passes the gate and one just past it is
 * refused naming that field. The requests are generated from the document, not written by hand.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildOpenApiDocument } from '../../server/openapi/openapi-document.js';
import { readPackageInfo } from '../../server/package-info.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import { postJson, readEnvelope, startTestServer, type TestServer } from '../helpers/http.js';

interface FieldSchema {
  type?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  maxLength?: number;
  minLength?: number;
  format?: string;
}

const OPTION = { series: [{ type: 'bar', data: [1] }] };
const document = buildOpenApiDocument(readPackageInfo()) as unknown as { components: { schemas: Record<string, { properties: Record<string, FieldSchema> }> } };
const fields = document.components.schemas.GenerateRequest!.properties;

/** A valid string of exactly `length` characters for `field`. */
function stringOf(field: string, length: number): string {
  switch (field) {
    case 'callbackUrl': {
      // An address of a documentation range, allowed below: nothing is looked up or queued for delivery.
      const head = 'https://203.0.113.10/';
      return head + 'a'.repeat(length - head.length);
    }
    case 'backgroundColor': {
      const head = 'rgba(1,2,3,0.';
      return `${head}${'5'.repeat(length - head.length - 1)})`;
    }
    default:
      return 'a'.repeat(length);
  }
}

/** [value at the bound, value just past it] for every bound the document states. */
function boundaryCases(field: string, schema: FieldSchema): { bound: string; at: unknown; past: unknown }[] {
  const cases: { bound: string; at: unknown; past: unknown }[] = [];
  const step = schema.type === 'integer' ? 1 : 0.001;
  if (schema.maximum !== undefined) cases.push({ bound: `maximum ${schema.maximum}`, at: schema.maximum, past: schema.maximum + step });
  if (schema.minimum !== undefined) cases.push({ bound: `minimum ${schema.minimum}`, at: schema.minimum, past: schema.minimum - step });
  if (schema.maxLength !== undefined) cases.push({ bound: `maxLength ${schema.maxLength}`, at: stringOf(field, schema.maxLength), past: stringOf(field, schema.maxLength + 1) });
  return cases;
}

let server: TestServer;
before(async () => {
  server = await startTestServer(undefined, { queueMaxPending: 10_000, webhookAllowHosts: ['203.0.113.0/24'] }, { tasks: { queue: new MemoryTaskQueue(), accepting: () => true } });
});
after(async () => server?.close());

describe('GenerateRequest bounds in the document are the enforced ones', () => {
  const bounded = Object.entries(fields).flatMap(([field, schema]) => boundaryCases(field, schema).map((boundary) => ({ field, ...boundary })));

  test('the document states bounds for the fields that have them', () => {
    const named = new Set(bounded.map((entry) => entry.field));
    for (const field of ['width', 'height', 'devicePixelRatio', 'quality', 'seed', 'ossPath', 'idempotencyKey', 'callbackUrl', 'backgroundColor', 'theme']) {
      assert.ok(named.has(field), `${field} has a bound in the document`);
    }
  });

  for (const { field, bound, at, past } of bounded) {
    test(`${field} (${bound}): at the bound passes, past it is refused naming ${field}`, async () => {
      const accepted = await postJson(`${server.url}/api/charts/generate`, { option: OPTION, [field]: at });
      assert.equal(accepted.status, 202, `${field}=${JSON.stringify(at).slice(0, 60)}: ${JSON.stringify(await readEnvelope(accepted))}`);
      const refused = await postJson(`${server.url}/api/charts/generate`, { option: OPTION, [field]: past });
      const envelope = await readEnvelope(refused);
      assert.equal(refused.status, 400, `${field}=${JSON.stringify(past).slice(0, 60)} was accepted`);
      assert.equal((envelope.error?.details as Record<string, unknown>).field, field, JSON.stringify(envelope));
    });
  }
});
