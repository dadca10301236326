/**
 * Every documented refusal of the HTTP API, each with its status, type and reason in the envelope,
 * against a real renderer; after all of them (a timed-out page and a killed browser included) a
 * normal render still succeeds.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { decodePng } from '../helpers/pixels.js';
import { startTestRenderer } from '../helpers/renderer.js';
import { expectProblem, postJson, readEnvelope, startHttpTestRenderer, startTestServer, type TestServer } from '../helpers/http.js';

const OPTION = {
  xAxis: { type: 'category', data: ['a', 'b', 'c', 'd'] },
  yAxis: { type: 'value' },
  series: [{ type: 'bar', data: [5, 20, 36, 10] }],
};
const GENERATE = '/api/charts/generate?async=false';
const SMALL_BODY_LIMIT = 2048;

type Expected = { status: number; type: string; reason: string };
const invalidRequest: Expected = { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' };
const invalidOption: Expected = { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_OPTION' };

/** Bodies sent to `GENERATE` (or the given path) as JSON, raw strings as they are. */
const badBodies: { name: string; body: unknown; path?: string; expected: Expected }[] = [
  {
    name: 'option as JavaScript source while functions are off',
    body: { option: 'var option = {series: []};' },
    expected: { status: 400, type: 'VALIDATION_ERROR', reason: 'FUNCTIONS_NOT_ALLOWED' },
  },
  { name: 'option a number', body: { option: 42 }, expected: invalidOption },
  { name: 'option an array', body: { option: [OPTION] }, expected: invalidOption },
  { name: 'option null', body: { option: null }, expected: invalidOption },
  { name: 'width 0', body: { option: OPTION, width: 0 }, expected: invalidRequest },
  { name: 'width -1', body: { option: OPTION, width: -1 }, expected: invalidRequest },
  { name: 'width 100000', body: { option: OPTION, width: 100_000 }, expected: invalidRequest },
  { name: 'height 12.5', body: { option: OPTION, height: 12.5 }, expected: invalidRequest },
  { name: 'unknown type', body: { option: OPTION, type: 'gif' }, expected: invalidRequest },
  { name: 'jpeg with a transparent background', body: { option: OPTION, type: 'jpeg', backgroundColor: 'transparent' }, expected: invalidRequest },
  { name: 'callbackUrl not http(s)', body: { option: OPTION, callbackUrl: 'file:///etc/passwd' }, expected: invalidRequest },
  { name: 'body an array', body: [OPTION], expected: invalidRequest },
  { name: 'invalid JSON', body: '{"option": {', expected: { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_JSON' } },
  { name: 'empty body', body: '', expected: { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_JSON' } },
  {
    name: 'unknown theme',
    body: { option: OPTION, theme: 'no-such-theme' },
    expected: { status: 400, type: 'VALIDATION_ERROR', reason: 'UNKNOWN_THEME' },
  },
  {
    // A line series without axes passes validation but throws inside ECharts' setOption.
    name: 'an option that throws inside setOption',
    body: { option: { series: [{ type: 'line', data: [1, 2, 3] }] } },
    expected: { status: 422, type: 'PROCESSING_ERROR', reason: 'RENDER_FAILED' },
  },
  {
    // ECharts itself would silently leave the series out of the image.
    name: 'a series of a type ECharts does not know',
    body: { option: { xAxis: {}, yAxis: {}, series: [{ type: 'bar', data: [1] }, { type: 'no-such-series', data: [1] }] } },
    expected: invalidOption,
  },
  { name: 'missing option', body: { type: 'png' }, expected: invalidOption },
  { name: 'legacy export with option a number', path: '/', body: { type: 'png', option: 7 }, expected: invalidOption },
  { name: 'async=maybe in the query', path: '/api/charts/generate?async=maybe', body: { option: OPTION }, expected: invalidRequest },
];

let renderer: ChartRenderer;
let server: TestServer;
let smallBodyServer: TestServer;

before(async () => {
  renderer = await startHttpTestRenderer();
  server = await startTestServer(renderer);
  smallBodyServer = await startTestServer(renderer, { maxBodyBytes: SMALL_BODY_LIMIT });
});

after(async () => {
  await smallBodyServer?.close();
  await server?.close();
  await renderer?.close();
});

describe('bad request bodies', () => {
  for (const { name, body, path, expected } of badBodies) {
    test(`${name} → ${expected.status} ${expected.reason}`, async () => {
      await expectProblem(await postJson(`${server.url}${path ?? GENERATE}`, body), expected);
    });
  }

  test('a content type other than JSON → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const response = await fetch(`${server.url}${GENERATE}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ option: OPTION }),
    });
    await expectProblem(response, { status: 415, type: 'VALIDATION_ERROR', reason: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});

describe('MAX_BODY_BYTES', () => {
  const tooLarge: Expected = { status: 413, type: 'VALIDATION_ERROR', reason: 'PAYLOAD_TOO_LARGE' };

  test('a body over the limit → 413 PAYLOAD_TOO_LARGE', async () => {
    const body = { option: OPTION, padding: 'x'.repeat(64 * 1024) };
    await expectProblem(await postJson(`${smallBodyServer.url}${GENERATE}`, body), tooLarge);
  });

  test('a streamed body without Content-Length is refused before the client finishes sending it', async () => {
    const request = http.request(`${smallBodyServer.url}${GENERATE}`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    request.on('error', () => undefined); // the server closes the connection while we still write
    let written = 0;
    const write = (text: string): void => {
      written += Buffer.byteLength(text);
      request.write(text);
    };
    write('{"option": {"padding": "');
    const pump = setInterval(() => write('x'.repeat(512)), 2);
    try {
      const [response] = (await once(request, 'response')) as [http.IncomingMessage];
      clearInterval(pump);
      const chunks: Buffer[] = [];
      for await (const chunk of response) chunks.push(chunk as Buffer);
      const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { reason: string } };
      assert.equal(response.statusCode, 413);
      assert.equal(envelope.error?.reason, 'PAYLOAD_TOO_LARGE');
      assert.equal(response.headers.connection, 'close');
      assert.ok(written < 1024 * 1024, `answered after ${written} bytes, long before any end`);
    } finally {
      clearInterval(pump);
      request.destroy();
    }
  });

  test('a body within the limit still renders', async () => {
    const response = await postJson(`${smallBodyServer.url}${GENERATE}`, { option: OPTION, width: 120, height: 80 });
    assert.equal(response.status, 200);
    assert.equal(decodePng(Buffer.from(await response.arrayBuffer())).width, 120);
  });
});

describe('routing', () => {
  test('an unknown route → 404 NOT_FOUND', async () => {
    await expectProblem(await fetch(`${server.url}/api/charts/nothing-here`), { status: 404, type: 'VALIDATION_ERROR', reason: 'NOT_FOUND' });
  });

  test('a wrong method → 405 METHOD_NOT_ALLOWED with an Allow header', async () => {
    const response = await fetch(`${server.url}/api/charts/generate`);
    assert.equal(response.headers.get('allow'), 'POST');
    await expectProblem(response, { status: 405, type: 'VALIDATION_ERROR', reason: 'METHOD_NOT_ALLOWED' });
    const onHealth = await fetch(`${server.url}/healthz`, { method: 'DELETE' });
    await expectProblem(onHealth, { status: 405, type: 'VALIDATION_ERROR', reason: 'METHOD_NOT_ALLOWED' });
  });
});

describe('failures of the farm', () => {
  test('an unexpected error → opaque 500 INTERNAL naming the request id, no stack, no detail', async () => {
    // No real part fails this way on demand: a renderer whose render throws a plain Error stands in.
    const failing = await startTestServer({
      render: () => Promise.reject(new Error('secret detail at /srv/internal/path')),
      stats: () => renderer.stats(),
      fingerprint: renderer.fingerprint,
    });
    try {
      const response = await postJson(`${failing.url}${GENERATE}`, { option: OPTION }, { 'x-request-id': 'req-500-test' });
      const envelope = await expectProblem(response, { status: 500, type: 'SYSTEM_ERROR', reason: 'INTERNAL' });
      assert.match(envelope.msg, /req-500-test/);
      assert.doesNotMatch(JSON.stringify(envelope), /secret|\/srv\/|at .*\.ts/);
    } finally {
      await failing.close();
    }
  });

  test('a chart that does not settle within RENDER_TIMEOUT_MS → 504 RENDER_TIMEOUT', async () => {
    // 300k symbols take seconds to draw in one pass: far past a one-second render limit.
    const strict = await startTestRenderer({ renderTimeoutMs: 1_000, finishedWaitMs: 500 });
    const strictServer = await startTestServer(strict);
    try {
      const data = Array.from({ length: 300_000 }, (_, i) => [i % 997, (i * 7919) % 1009]);
      const option = { xAxis: {}, yAxis: {}, series: [{ type: 'scatter', symbol: 'diamond', data }] };
      const response = await postJson(`${strictServer.url}${GENERATE}`, { option, width: 200, height: 120 });
      await expectProblem(response, { status: 504, type: 'PROCESSING_ERROR', reason: 'RENDER_TIMEOUT' });
    } finally {
      await strictServer.close();
      await strict.close();
    }
  });

  test('a browser killed during the render is retried once inside the request, and the client gets the image', async () => {
    // 20k points keep the page busy for half a second or more: time enough to kill its browser.
    const data = Array.from({ length: 20_000 }, (_, i) => [i % 997, (i * 7919) % 1009]);
    const crashesBefore = renderer.stats().crashes;
    const answer = postJson(`${server.url}${GENERATE}`, { option: { xAxis: {}, yAxis: {}, series: [{ type: 'scatter', data }] }, width: 200, height: 120 });
    while (renderer.stats().busy === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    for (const pid of renderer.browserPids()) process.kill(pid, 'SIGKILL');
    const response = await answer;
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(decodePng(Buffer.from(await response.arrayBuffer())).width, 200);
    assert.equal(renderer.stats().crashes, crashesBefore + 1);
  });
});

describe('after every refusal and failure', () => {
  test('a normal render still succeeds and the farm is ready', async () => {
    const response = await postJson(`${server.url}${GENERATE}`, { option: OPTION, width: 300, height: 200 });
    assert.equal(response.status, 200);
    const png = decodePng(Buffer.from(await response.arrayBuffer()));
    assert.deepEqual({ width: png.width, height: png.height }, { width: 300, height: 200 });
    const ready = await readEnvelope<{ ready: boolean }>(await fetch(`${server.url}/readyz`));
    assert.equal(ready.data?.ready, true);
  });
});
