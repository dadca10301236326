/**
 * Property-based fuzzing of a running farm (real renderer, HTTP on loopback): malformed bodies,
 * headers, query strings and options (deep, wide, huge strings, prototype keys, wrong types, invalid
 * UTF-8). Every answer is an envelope with no 5xx but the designed ones; afterwards the farm is
 * healthy and renders a known chart correctly. FUZZ_RUNS and FUZZ_SEED replay or lengthen a run
 * (`npm run test:fuzz` runs thousands); the seed and run count are printed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import { decodePng } from '../helpers/pixels.js';
import { BAR_OPTION } from '../helpers/renderer.js';
import { startHttpTestRenderer, startTestServer, type TestServer } from '../helpers/http.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** 5xx answers the contract designs for: the farm is busy, slow, or has no such part. */
const DESIGNED_5XX = new Set(['RENDER_TIMEOUT', 'QUEUE_FULL', 'POOL_EXHAUSTED', 'NOT_IMPLEMENTED', 'SHUTTING_DOWN']);

let renderer: ChartRenderer;
let server: TestServer;

before(async () => {
  renderer = await startHttpTestRenderer();
  server = await startTestServer(renderer, { queueMaxPending: 50 }, { tasks: { queue: new MemoryTaskQueue(), accepting: () => true } });
});

after(async () => {
  await server?.close();
  await renderer?.close();
});

const nested = (levels: number, leaf: string): string => `${'{"a":['.repeat(levels)}${leaf}${']}'.repeat(levels)}`;

/** Values of the wrong type for any field. */
const anyValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, 1.5, '', 'png', 'svg', 'transparent', '#fff', '../x', 'function () {}', '() => 1'),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 40 }),
  fc.array(fc.integer(), { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
);

const fieldNames = fc.constantFrom(
  'option', 'type', 'width', 'height', 'devicePixelRatio', 'backgroundColor', 'theme', 'quality', 'renderer', 'seed', 'frozenTime',
  'async', 'base64', 'ossPath', 'priority', 'idempotencyKey', 'callbackUrl', 'charts', 'expected', 'actual', 'render', 'threshold',
  '__proto__', 'constructor', 'prototype', 'widht', '',
);

/** An ECharts-like option with random shapes: wrong types, prototype keys, wide arrays. */
const option = fc.oneof(
  fc.constant({ series: [{ type: 'bar', data: [1, 2, 3] }] }),
  fc.dictionary(fc.constantFrom('series', 'xAxis', 'yAxis', 'title', 'geo', 'graphic', '__proto__', 'constructor', 'animation'), anyValue, { maxKeys: 5 }),
  fc.record({ series: fc.array(fc.record({ type: fc.constantFrom('bar', 'line', 'map', 'pie', 'nope', 1), data: anyValue, map: fc.string({ maxLength: 10 }) }), { maxLength: 3 }) }),
  anyValue,
);

const jsonBody = fc.oneof(
  fc.record({ option, type: anyValue, width: anyValue, height: anyValue }, { requiredKeys: ['option'] }).map((body) => JSON.stringify(body)),
  fc.dictionary(fieldNames, anyValue, { maxKeys: 6 }).map((body) => JSON.stringify(body)),
  fc.array(fc.record({ option, ossPath: anyValue }, { requiredKeys: [] }), { maxLength: 4 }).map((charts) => JSON.stringify({ charts })),
  fc.record({ expected: anyValue, actual: anyValue, render: fc.record({ option }) }, { requiredKeys: [] }).map((body) => JSON.stringify(body)),
);

const body = fc.oneof(
  { weight: 6, arbitrary: jsonBody.map((text) => Buffer.from(text)) },
  // Deep, wide and huge bodies.
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 50_000 }).map((levels) => Buffer.from(`{"option":${nested(levels, '1')}}`)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 300_000 }).map((count) => Buffer.from(`{"option":{"series":[{"type":"bar","data":[${'1,'.repeat(count)}1]}]}}`)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2_000_000 }).map((length) => Buffer.from(JSON.stringify({ option: { title: { text: 'x'.repeat(length) } } }))) },
  { weight: 1, arbitrary: fc.constantFrom('{"__proto__":{"polluted":1},"option":{"constructor":{"prototype":{"x":1}}}}', '{"option":{"series":[{"__proto__":{"type":"bar"}}]}}').map((text) => Buffer.from(text)) },
  // Not JSON, cut JSON, invalid UTF-8.
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: jsonBody.chain((text) => fc.nat({ max: text.length }).map((cut) => Buffer.from(text.slice(0, cut)))) },
  { weight: 1, arbitrary: jsonBody.map((text) => Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('}')])) },
);

const route = fc.constantFrom('/api/charts/generate', '/api/charts/batch', '/api/charts/compare', '/', '/api/charts/generate', '/api/charts/generate?async=false');
const query = fc.dictionary(fc.constantFrom('async', 'base64', 'redirect', 'x', '__proto__', ''), fc.string({ maxLength: 12 }), { maxKeys: 3 });
const headers = fc.record(
  {
    'content-type': fc.oneof(
      { weight: 8, arbitrary: fc.constant('application/json') },
      { weight: 2, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x+json', 'multipart/form-data', '') },
    ),
    'content-encoding': fc.oneof({ weight: 9, arbitrary: fc.constant('identity') }, { weight: 1, arbitrary: fc.constantFrom('gzip', 'br') }),
    'idempotency-key': fc.string({ maxLength: 300 }).filter((key) => /^[\x20-\x7e]*$/.test(key)),
    'x-request-id': fc.string({ maxLength: 150 }).filter((id) => /^[\x20-\x7e]*$/.test(id)),
  },
  { requiredKeys: ['content-type'] },
);

describe('fuzzing a running farm', () => {
  test(`${RUNS} malformed requests: envelopes only, no undesigned 5xx, the farm healthy and correct afterwards`, async () => {
    console.log(`# fuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(route, query, headers, body, async (path, params, sent, bytes) => {
        const search = new URLSearchParams(params).toString();
        const url = `${server.url}${path}${search ? `${path.includes('?') ? '&' : '?'}${search}` : ''}`;
        const response = await fetch(url, { method: 'POST', headers: Object.fromEntries(Object.entries(sent).filter(([, value]) => value !== '')), body: bytes, signal: AbortSignal.timeout(30_000) });
        seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
        const type = response.headers.get('content-type') ?? '';
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
        if (!type.startsWith('application/json')) {
          assert.equal(response.status, 200, `a ${response.status} answer that is no envelope (${type})`);
          await response.arrayBuffer();
          return;
        }
        const envelope = (await response.json()) as { code: number; msg: string; error?: { reason: string } };
        assert.equal(envelope.code, response.status);
        assert.doesNotMatch(envelope.msg, /\n\s+at /, 'no stack trace');
        if (response.status >= 500) assert.ok(DESIGNED_5XX.has(envelope.error?.reason ?? ''), `undesigned ${response.status}: ${envelope.msg}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.log(`# fuzz answers by status: ${JSON.stringify(Object.fromEntries([...seen].sort(([a], [b]) => a - b)))}`);

    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const chart = await fetch(`${server.url}/api/charts/generate?async=false`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ option: BAR_OPTION, width: 320, height: 200 }),
    });
    assert.equal(chart.status, 200);
    const png = decodePng(Buffer.from(await chart.arrayBuffer()));
    assert.deepEqual({ width: png.width, height: png.height }, { width: 320, height: 200 });
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
  });
});
