import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import type { TaskRecord } from '../../tasks/task.js';
import { taskView } from '../../tasks/task-view.js';
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  WebhookSender,
  verifySignature,
  type FieldLogger,
  type SignedHeaders,
  type WebhookSenderOptions,
} from '../../tasks/webhook-sender.js';
import { CallbackAllowList } from '../../tasks/callback-address.js';

const SECRET = 'test-webhook-secret';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver does with its n-th request (0-based): answer a status, or never answer. */
type Script = (index: number) => number | 'hang';

interface Receiver {
  url: string;
  received: Received[];
  /** Emits `request` for every request recorded. */
  events: EventEmitter;
  close(): Promise<void>;
}

const receivers: Receiver[] = [];
after(() => Promise.all(receivers.map((receiver) => receiver.close())));

/** A real HTTP server on 127.0.0.1 that records each request and answers as `script` says. */
async function startReceiver(script: Script): Promise<Receiver> {
  const received: Received[] = [];
  const events = new EventEmitter();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() }) - 1;
      events.emit('request');
      const answer = script(index);
      if (answer === 'hang') return;
      response.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks/farm?token=abc`,
    received,
    events,
    async close() {
      server.closeAllConnections();
      if (server.listening) {
        server.close();
        await once(server, 'close');
      }
    },
  };
  receivers.push(receiver);
  return receiver;
}

interface LogLine {
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

function recordingLogger(): FieldLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** The receivers of these tests listen on 127.0.0.1, which a sender reaches only when allowed. */
const LOOPBACK_ALLOWED = new CallbackAllowList(['127.0.0.1']);

function sender(logger: FieldLogger, options: Partial<WebhookSenderOptions> = {}): WebhookSender {
  return new WebhookSender({ logger, secret: SECRET, baseDelayMs: 20, timeoutMs: 2000, attempts: 5, allowList: LOOPBACK_ALLOWED, ...options });
}

function signedHeadersOf(received: Received): SignedHeaders {
  return { timestamp: String(received.headers[TIMESTAMP_HEADER]), deliveryId: String(received.headers[DELIVERY_HEADER]) };
}

function completedTask(callbackUrl: string | null): TaskRecord {
  return {
    taskId: '0f8e5c1a-3b2d-4e6f-8a9b-0c1d2e3f4a5b',
    status: 'completed',
    priority: 'normal',
    owner: 'anonymous',
    config: { render: { option: { series: [] }, type: 'png', width: 600, height: 400, devicePixelRatio: 1, quality: 90, engine: 'canvas' }, ossPath: null },
    createdAt: '2024-05-01T10:00:00.000Z',
    startedAt: '2024-05-01T10:00:01.000Z',
    completedAt: '2024-05-01T10:00:02.000Z',
    imageUrl: '/api/images/0f8e5c1a-3b2d-4e6f-8a9b-0c1d2e3f4a5b',
    fileName: '0f8e5c1a-3b2d-4e6f-8a9b-0c1d2e3f4a5b.png',
    objectKey: '2024/05/01/0f8e5c1a-3b2d-4e6f-8a9b-0c1d2e3f4a5b.png',
    contentType: 'image/png',
    bytes: 1234,
    error: null,
    retryCount: 1,
    attempts: [],
    durationMs: 1000,
    fingerprint: 'fp-1',
    cached: false,
    idempotencyKey: null,
    callbackUrl,
    workerId: 'worker-1',
    requestHash: 'hash-1',
  };
}

describe('WebhookSender', () => {
  it('posts the signed status view of the task, as the status endpoint shows it', async () => {
    const receiver = await startReceiver(() => 200);
    const logger = recordingLogger();
    const before = Math.floor(Date.now() / 1000);
    await sender(logger).notify(completedTask(receiver.url));

    assert.equal(receiver.received.length, 1);
    const [{ headers, body }] = receiver.received as [Received];
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers[EVENT_HEADER], 'task.completed');
    assert.match(String(headers[DELIVERY_HEADER]), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const timestamp = Number(headers[TIMESTAMP_HEADER]);
    assert.ok(timestamp >= before && timestamp <= before + 5, `timestamp ${timestamp} is now in unix seconds`);
    // The task as the status endpoint shows it, so a receiver needs no second call.
    assert.deepEqual(JSON.parse(body), { event: 'task.completed', task: taskView(completedTask(receiver.url)) });

    const signature = String(headers[SIGNATURE_HEADER]);
    assert.match(signature, /^sha256=[0-9a-f]{64}$/);
    const signed = { timestamp, deliveryId: String(headers[DELIVERY_HEADER]) };
    assert.equal(verifySignature(SECRET, signed, body, signature), true);
    assert.equal(verifySignature('another-secret', signed, body, signature), false);
    assert.equal(verifySignature(SECRET, { ...signed, timestamp: timestamp + 1 }, body, signature), false, 'the timestamp is signed');
    assert.equal(verifySignature(SECRET, { ...signed, deliveryId: randomUUID() }, body, signature), false, 'the delivery id is signed');
    assert.equal(verifySignature(SECRET, signed, body.replace('completed', 'failed'), signature), false);
    assert.equal(verifySignature(SECRET, signed, body, signature.slice(0, -2)), false);
    assert.equal(verifySignature(SECRET, signed, body, undefined), false);
    assert.ok(logger.lines.some((line) => line.level === 'info' && line.message === 'webhook delivered'));
    assert.ok(logger.lines.every((line) => !String(line.fields.callbackUrl).includes('token')), 'the query string stays out of logs');
  });

  it('retries a 503 and delivers on the next attempt under the same delivery id', async () => {
    const receiver = await startReceiver((index) => (index === 0 ? 503 : 200));
    const webhooks = sender(recordingLogger());
    const delivery = webhooks.notify(completedTask(receiver.url));
    assert.equal(webhooks.pending(), 1);
    await delivery;
    assert.equal(webhooks.pending(), 0);
    assert.equal(receiver.received.length, 2);
    const [first, second] = receiver.received as [Received, Received];
    assert.equal(first.headers[DELIVERY_HEADER], second.headers[DELIVERY_HEADER]);
    assert.equal(first.body, second.body);
    assert.ok(verifySignature(SECRET, signedHeadersOf(second), second.body, String(second.headers[SIGNATURE_HEADER])));
  });

  it('retries 429 and 5xx until the attempts run out, then logs an error', async () => {
    const receiver = await startReceiver((index) => (index % 2 === 0 ? 500 : 429));
    const logger = recordingLogger();
    await sender(logger, { attempts: 3 }).notify(completedTask(receiver.url));
    assert.equal(receiver.received.length, 3);
    assert.equal(logger.lines.filter((line) => line.level === 'warn').length, 2);
    assert.ok(logger.lines.some((line) => line.level === 'error' && line.message === 'webhook not delivered after the last attempt'));
  });

  it('does not retry a 400', async () => {
    const receiver = await startReceiver(() => 400);
    const logger = recordingLogger();
    await sender(logger).notify(completedTask(receiver.url));
    assert.equal(receiver.received.length, 1);
    assert.ok(logger.lines.some((line) => line.level === 'error' && line.fields.reason === 'HTTP 400'));
  });

  it('does not follow a redirect', async () => {
    const receiver = await startReceiver(() => 302);
    await sender(recordingLogger()).notify(completedTask(receiver.url));
    assert.equal(receiver.received.length, 1);
  });

  it('times out a receiver that never answers and retries', async () => {
    const receiver = await startReceiver((index) => (index === 0 ? 'hang' : 204));
    const logger = recordingLogger();
    await sender(logger, { timeoutMs: 200 }).notify(completedTask(receiver.url));
    assert.equal(receiver.received.length, 2);
    assert.ok(logger.lines.some((line) => line.level === 'warn' && line.fields.reason === 'no answer within 200 ms'));
    assert.ok(logger.lines.some((line) => line.message === 'webhook delivered' && line.fields.attempt === 2));
  });

  it('retries when nothing listens, and never throws', async () => {
    const receiver = await startReceiver(() => 200);
    await receiver.close();
    const logger = recordingLogger();
    await sender(logger, { attempts: 2 }).notify(completedTask(receiver.url));
    assert.equal(logger.lines.filter((line) => line.level === 'warn').length, 1);
    assert.equal(logger.lines.filter((line) => line.level === 'error').length, 1);
  });

  it('sends no signature header without a secret', async () => {
    const receiver = await startReceiver(() => 200);
    await sender(recordingLogger(), { secret: undefined }).notify(completedTask(receiver.url));
    assert.equal(receiver.received.length, 1);
    assert.equal(receiver.received[0]?.headers[SIGNATURE_HEADER], undefined);
    assert.ok(receiver.received[0]?.headers[TIMESTAMP_HEADER]);
  });

  it('sends nothing for a task without callbackUrl, and refuses a non-http URL', async () => {
    const logger = recordingLogger();
    const webhooks = sender(logger);
    await webhooks.notify(completedTask(null));
    await webhooks.notify(completedTask('file:///etc/passwd'));
    assert.equal(webhooks.pending(), 0);
    assert.deepEqual(logger.lines.map((line) => line.message), ['webhook not sent: callbackUrl is not an http(s) URL']);
  });

  it('close() waits for a delivery in flight', async () => {
    const receiver = await startReceiver((index) => (index === 0 ? 503 : 200));
    const webhooks = sender(recordingLogger(), { baseDelayMs: 100 });
    void webhooks.notify(completedTask(receiver.url));
    await webhooks.close(5000);
    assert.equal(webhooks.pending(), 0);
    assert.equal(receiver.received.length, 2, 'the retry ran before close() returned');
  });

  it('close() gives up after its grace and takes no new delivery', async () => {
    const receiver = await startReceiver(() => 'hang');
    const logger = recordingLogger();
    const webhooks = sender(logger, { timeoutMs: 10_000 });
    const delivery = webhooks.notify(completedTask(receiver.url));
    await once(receiver.events, 'request');
    const started = Date.now();
    await webhooks.close(100);
    assert.ok(Date.now() - started < 2000, 'bounded by the grace, not the attempt timeout');
    await delivery;
    assert.equal(webhooks.pending(), 0);
    assert.ok(logger.lines.some((line) => line.message === 'webhook abandoned at shutdown'));
    await webhooks.notify(completedTask(receiver.url));
    assert.equal(receiver.received.length, 1);
  });
});

describe('WebhookSender and the farm\'s own network', () => {
  it('refuses every loopback form of callbackUrl at delivery: the listener on 127.0.0.1 receives nothing', async () => {
    const receiver = await startReceiver(() => 200);
    const port = new URL(receiver.url).port;
    const forms = ['127.0.0.1', 'localhost', 'LOCALHOST.', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '2130706433', '0x7f.1', '0177.0.0.1', '127.1', '0', '0.0.0.0', '[::1]', '[::]'];
    const logger = recordingLogger();
    const webhooks = sender(logger, { allowList: new CallbackAllowList() });
    for (const host of forms) await webhooks.notify(completedTask(`http://${host}:${port}/hooks/farm`));
    assert.equal(receiver.received.length, 0, 'no request reached the listener');
    const refusals = logger.lines.filter((line) => line.message === 'webhook refused by the receiver; not retried' || line.message.startsWith('webhook not sent'));
    assert.equal(refusals.length, forms.length, JSON.stringify(logger.lines));
    for (const line of refusals) assert.match(String(line.fields.reason), /farm's own network/);
  });

  it('connects to the address it checked, not to a second resolution of the name', async () => {
    const receiver = await startReceiver(() => 200);
    const port = new URL(receiver.url).port;
    // hooks.farm-test does not exist in any DNS: only the checked answer can route the request.
    const answers: string[] = [];
    const resolve = async (host: string) => {
      answers.push(host);
      return [{ address: '127.0.0.1', family: 4 as const }];
    };
    const logger = recordingLogger();
    await sender(logger, { allowList: new CallbackAllowList(['hooks.farm-test']), resolve }).notify(completedTask(`http://hooks.farm-test:${port}/hook`));
    assert.equal(receiver.received.length, 1, JSON.stringify(logger.lines));
    assert.equal(receiver.received[0]?.headers.host, `hooks.farm-test:${port}`, 'the request still names the host');
    assert.deepEqual(answers, ['hooks.farm-test'], 'resolved once, by the check');
  });

  it('checks the name again at delivery: a name that now resolves into the farm is refused', async () => {
    const receiver = await startReceiver(() => 200);
    const port = new URL(receiver.url).port;
    const logger = recordingLogger();
    const rebound = async () => [{ address: '127.0.0.1', family: 4 as const }];
    await sender(logger, { allowList: new CallbackAllowList(), resolve: rebound }).notify(completedTask(`http://hooks.farm-test:${port}/hook`));
    assert.equal(receiver.received.length, 0);
    assert.match(String(logger.lines.at(-1)?.fields.reason), /loopback address \(hooks\.farm-test resolves to 127\.0\.0\.1\)/);
  });

  it("signs an owner's deliveries with that owner's secret, falling back to WEBHOOK_SECRET", async () => {
    const receiver = await startReceiver(() => 200);
    const ownSecrets: Record<string, string> = { alice: 'alice-webhook-secret-0123', bob: 'bob-webhook-secret-01234' };
    const webhooks = sender(recordingLogger(), { ownerSecret: (owner) => ownSecrets[owner] });
    await webhooks.notify({ ...completedTask(receiver.url), owner: 'alice' });
    await webhooks.notify({ ...completedTask(receiver.url), owner: 'carol' });
    const [toAlice, toCarol] = receiver.received as [Received, Received];
    const aliceSignature = String(toAlice.headers[SIGNATURE_HEADER]);
    assert.ok(verifySignature(ownSecrets.alice!, signedHeadersOf(toAlice), toAlice.body, aliceSignature));
    assert.ok(!verifySignature(ownSecrets.bob!, signedHeadersOf(toAlice), toAlice.body, aliceSignature), "another owner's secret does not verify");
    assert.ok(!verifySignature(SECRET, signedHeadersOf(toAlice), toAlice.body, aliceSignature), 'the shared secret does not verify');
    assert.ok(verifySignature(SECRET, signedHeadersOf(toCarol), toCarol.body, String(toCarol.headers[SIGNATURE_HEADER])));
  });
});
