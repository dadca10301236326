/**
 * Small helpers for HTTP tests: a real renderer sized for them, the app listening on a free port,
 * and envelope reading.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { configWith } from '../../config/load-config.js';
import type { Config } from '../../config/settings.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { startTestRenderer } from './renderer.js';
import { createApp } from '../../server/create-app.js';
import type { AppDeps } from '../../server/app-deps.js';
import type { Envelope } from '../../server/envelope.js';

/** The pool the HTTP tests render with: one browser, two pages, short limits. */
export function startHttpTestRenderer(): Promise<ChartRenderer> {
  return startTestRenderer({ pagesPerBrowser: 2, acquireTimeoutMs: 10_000, renderTimeoutMs: 5_000, finishedWaitMs: 4_000 });
}

/** An app listening on a free local port. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/** Starts `createApp` on port 0; logs are silent unless TEST_LOG_LEVEL says otherwise. */
export async function startTestServer(
  renderer: AppDeps['renderer'],
  overrides: Partial<Config> = {},
  parts: Pick<AppDeps, 'tasks' | 'store' | 'imageLinks' | 'metrics' | 'rateLimiter' | 'readiness'> = {},
): Promise<TestServer> {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  // Canary goldens of a test stay in the test's own folder, not in the checkout's ./data.
  const config = configWith({ canaryDir: mkdtempSync(join(tmpdir(), 'farm-canary-')), ...overrides });
  const server = createApp({ renderer, config, logger, ...parts }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** POSTs `body` as JSON (or as given when it is already a string). */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The envelope of a JSON answer; fails when the answer is not JSON. */
export async function readEnvelope<T = Record<string, unknown>>(response: Response): Promise<Envelope<T>> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/json')) throw new Error(`expected a JSON envelope, got ${type}: ${await response.text()}`);
  return (await response.json()) as Envelope<T>;
}

/** Asserts that `response` is an error envelope with this status, type and reason; returns it. */
export async function expectProblem(
  response: Response,
  expected: { status: number; type: string; reason: string },
): Promise<Envelope<unknown>> {
  const envelope = await readEnvelope(response);
  const seen = { status: response.status, type: envelope.error?.type, reason: envelope.error?.reason };
  assert.deepEqual(seen, expected, `answer was ${JSON.stringify(envelope)}`);
  assert.equal(envelope.code, response.status, 'code equals the HTTP status');
  assert.equal(envelope.data, null);
  assert.equal(typeof envelope.msg, 'string');
  assert.doesNotMatch(envelope.msg, /\n\s+at /, 'no stack trace in msg');
  return envelope;
}
