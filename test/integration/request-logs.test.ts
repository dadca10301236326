/**
 * The request log over real HTTP: one access line per request with a readable headline, the request
 * id on every line of a request, a client that leaves mid-download logged at debug (not as an error),
 * and the terminal form of the lines.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Koa from 'koa';
import pino from 'pino';
import { loggerOptions } from '../../cli/create-logger.js';
import { terminalLogLine } from '../../cli/terminal-log-line.js';
import type { FarmState } from '../../server/app-deps.js';
import { accessLog } from '../../server/middleware/access-log.js';
import { logErrorsAfterResponse } from '../../server/middleware/after-response-errors.js';
import { requestId } from '../../server/middleware/request-id.js';

type Entry = Record<string, unknown> & { level: number; msg: string; requestId?: string };
const entries: Entry[] = [];
const logger = pino(loggerOptions({ logLevel: 'debug' }), { write: (line: string) => entries.push(JSON.parse(line) as Entry) });
let server: ReturnType<Koa['listen']>;
let base: string;

/** Chunks of 64 KiB for as long as someone reads: a download far larger than any socket buffer. */
function endlessImage(): Readable {
  const chunk = Buffer.alloc(64 * 1024, 1);
  let sent = 0;
  return new Readable({
    read() {
      sent += 1;
      this.push(sent > 2000 ? null : chunk);
    },
  });
}

before(async () => {
  const app = new Koa<FarmState>();
  app.use(requestId(logger));
  app.use(accessLog());
  app.use(async (ctx) => {
    if (ctx.path === '/big.png') {
      ctx.type = 'image/png';
      ctx.body = endlessImage();
      return;
    }
    ctx.state.summary = 'png 600×400';
    ctx.state.logger.info('rendered');
    ctx.body = { ok: true };
  });
  logErrorsAfterResponse(app, logger);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => server?.close());

async function settled(predicate: () => boolean): Promise<void> {
  for (let tries = 0; tries < 100 && !predicate(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('request logs', () => {
  it('writes one access line per request, its headline readable, every line with the request id', async () => {
    const answer = await fetch(`${base}/api/charts/generate`, { method: 'POST', headers: { 'x-request-id': 'req-one' } });
    await answer.arrayBuffer();
    await settled(() => entries.some((entry) => entry.requestId === 'req-one' && 'request' in entry));
    const lines = entries.filter((entry) => entry.requestId === 'req-one');
    assert.deepEqual(lines.map((entry) => entry.msg.replace(/\d+ms/, 'Nms')), ['rendered', 'POST /api/charts/generate 200 Nms png 600×400']);
    assert.deepEqual({ ...(lines[1]!.request as object), ms: 0 }, { method: 'POST', path: '/api/charts/generate', status: 200, ms: 0, summary: 'png 600×400' });
  });

  it('logs a client that leaves mid-download at debug, with its request id, and no error', async () => {
    const before = entries.length;
    await new Promise<void>((resolve, reject) => {
      const call = request(`${base}/big.png`, { headers: { 'x-request-id': 'req-gone' } }, (response) => {
        response.once('data', () => {
          call.destroy();
          resolve();
        });
      });
      call.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
      call.end();
    });
    await settled(() => entries.slice(before).some((entry) => 'request' in entry));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = entries.slice(before);
    assert.deepEqual(lines.filter((entry) => entry.level >= 50), []);
    assert.ok(lines.some((entry) => entry.level === 20 && entry.msg === 'the client went away before the answer was sent'), JSON.stringify(lines));
    assert.ok(lines.every((entry) => entry.requestId === 'req-gone'), JSON.stringify(lines));
    const access = lines.find((entry) => 'request' in entry)!;
    assert.match(access.msg, /^GET \/big\.png 200 \d+ms \(client went away\)$/);
    assert.equal((access.request as { aborted?: boolean }).aborted, true);
  });

  it('shows an entry on one terminal line: time, level, headline, fields, request id', () => {
    const line = terminalLogLine({
      level: 30,
      time: new Date(2026, 0, 2, 3, 4, 5, 6).getTime(),
      pid: 7,
      requestId: 'req-one',
      request: { method: 'POST', path: '/api/charts/generate', status: 200, ms: 84 },
      msg: 'POST /api/charts/generate 200 84ms png 600×400',
    });
    assert.equal(line, '03:04:05.006 INFO  POST /api/charts/generate 200 84ms png 600×400 req=req-one\n');
    const warning = terminalLogLine({ level: 40, time: 0, msg: 'render failed', reason: 'RENDER_TIMEOUT', problem: 'took too long', err: { message: 'boom', stack: 'Error: boom\n    at x' } });
    assert.match(warning, /^\d\d:\d\d:\d\d\.\d{3} WARN  render failed reason=RENDER_TIMEOUT problem="took too long" err=boom\n$/);
    const error = terminalLogLine({ level: 50, time: 0, msg: 'failed', err: { message: 'boom', stack: 'Error: boom\n    at x' } });
    assert.match(error, /err=boom\n    Error: boom\n        at x\n$/);
  });
});
