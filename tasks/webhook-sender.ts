/**
 * Tells a task's `callbackUrl` how the task ended: one signed JSON POST, retried with backoff while
 * the receiver is down or busy. A webhook is a courtesy to the client, so it never fails the task or
 * the worker: every outcome ends in a log line, never in a thrown error.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { CallbackAllowList, checkCallbackUrl, systemResolver, type CallbackTarget, type HostResolver } from './callback-address.js';
import { taskView, type TaskView } from './task-view.js';
import type { AttemptError, TaskRecord, TaskStatus } from './task.js';

/** The structured logger the sender writes to (pino's Logger fits). */
export interface FieldLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** The task as `GET /api/charts/status/:taskId` shows it: what a webhook receiver gets. */

export interface WebhookPayload {
  /** `task.completed`, `task.failed`, `task.cancelled`, ... */
  event: string;
  task: TaskView;
}

export const SIGNATURE_HEADER = 'x-echarts-farm-signature';
export const TIMESTAMP_HEADER = 'x-echarts-farm-timestamp';
export const EVENT_HEADER = 'x-echarts-farm-event';
/** The same for every attempt of one delivery, so a receiver can drop duplicates. */
export const DELIVERY_HEADER = 'x-echarts-farm-delivery';

export interface WebhookSenderOptions {
  logger: FieldLogger;
  /** Signs the deliveries of owners without a secret of their own (WEBHOOK_SECRET); without either, no signature header is sent. */
  secret?: string | null;
  /** An owner's own webhook secret (from API_KEYS_FILE), which signs that owner's deliveries instead of `secret`. */
  ownerSecret?: (owner: string) => string | undefined;
  /**
   * Hosts and ranges of the farm's own network webhooks may still reach (WEBHOOK_ALLOW_HOSTS).
   * @defaultValue none: loopback, private, link-local, ... addresses are refused
   */
  allowList?: CallbackAllowList;
  /**
   * Resolves callback host names; the connection goes to the address it answered and was checked.
   * @defaultValue dns.lookup
   */
  resolve?: HostResolver;
  /**
   * Attempts per delivery, the first included.
   * @defaultValue 5
   */
  attempts?: number;
  /**
   * Delay before the first retry; each next one doubles (1 s, 2 s, 4 s, 8 s).
   * @defaultValue 1000
   */
  baseDelayMs?: number;
  /**
   * Longest wait between attempts, also for a receiver's `Retry-After`.
   * @defaultValue 60000
   */
  maxDelayMs?: number;
  /**
   * Time one attempt may take, answer included.
   * @defaultValue 10000
   */
  timeoutMs?: number;
  /**
   * How long `close()` waits for deliveries in flight before abandoning them.
   * @defaultValue 5000
   */
  closeGraceMs?: number;
}

/** How one attempt ended: sent, worth another try, or refused for good. */
type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; reason: string; retryAfterMs: number | null }
  | { kind: 'give-up'; reason: string };

/** Sends the webhooks of final tasks; one instance per process, closed on shutdown. */
export class WebhookSender {
  private readonly logger: FieldLogger;
  private readonly secret: string | null;
  private readonly ownerSecret: (owner: string) => string | undefined;
  private readonly allowList: CallbackAllowList;
  private readonly resolve: HostResolver;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly closeGraceMs: number;
  private readonly inFlight = new Set<Promise<void>>();
  /** Aborts requests and backoff waits of deliveries still running when the grace of `close()` ends. */
  private readonly abandon = new AbortController();
  private closed = false;

  constructor(options: WebhookSenderOptions) {
    this.logger = options.logger;
    // An empty WEBHOOK_SECRET is no secret: signing with it would only look safe.
    this.secret = options.secret || null;
    this.ownerSecret = options.ownerSecret ?? (() => undefined);
    this.allowList = options.allowList ?? new CallbackAllowList();
    this.resolve = options.resolve ?? systemResolver;
    this.attempts = Math.max(1, options.attempts ?? 5);
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.closeGraceMs = options.closeGraceMs ?? 5000;
  }

  /** Delivers `task.<status>` to the task's callbackUrl, if it has one; resolves when the delivery ended, whatever the outcome. */
  notify(task: TaskRecord): Promise<void> {
    if (task.callbackUrl === null) return Promise.resolve();
    if (this.closed) {
      this.logger.warn({ taskId: task.taskId }, 'webhook not sent: the sender is closed');
      return Promise.resolve();
    }
    const delivery = this.deliver(task, task.callbackUrl).catch((error: unknown) => {
      this.logger.error({ taskId: task.taskId, err: error }, 'webhook delivery failed unexpectedly');
    });
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
    return delivery;
  }

  /** Deliveries not yet ended (waiting, sending or between attempts). */
  pending(): number {
    return this.inFlight.size;
  }

  /** Takes no new delivery, waits up to `graceMs` for those in flight, then abandons the rest. */
  async close(graceMs = this.closeGraceMs): Promise<void> {
    this.closed = true;
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace-over'>((resolve) => {
      timer = setTimeout(() => resolve('grace-over'), graceMs);
    });
    const settled = Promise.allSettled([...this.inFlight]).then(() => 'settled' as const);
    const first = await Promise.race([settled, graceOver]);
    clearTimeout(timer);
    if (first === 'grace-over') {
      this.logger.warn({ deliveries: this.inFlight.size, graceMs }, 'abandoning webhook deliveries still in flight at shutdown');
      this.abandon.abort();
      await settled;
    }
  }

  private async deliver(task: TaskRecord, url: string): Promise<void> {
    const event = `task.${task.status}`;
    const fields = { taskId: task.taskId, event, deliveryId: randomUUID(), callbackUrl: redactUrl(url) };
    if (!isHttpUrl(url)) {
      this.logger.error(fields, 'webhook not sent: callbackUrl is not an http(s) URL');
      return;
    }
    const body = JSON.stringify({ event, task: taskView(task) } satisfies WebhookPayload);
    const secret = this.ownerSecret(task.owner) || this.secret;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      const outcome = await this.attempt(url, { body, event, deliveryId: fields.deliveryId, secret });
      if (outcome.kind === 'delivered') {
        this.logger.info({ ...fields, attempt, status: outcome.status }, 'webhook delivered');
        return;
      }
      if (outcome.kind === 'give-up') {
        this.logger.error({ ...fields, attempt, reason: outcome.reason }, 'webhook refused by the receiver; not retried');
        return;
      }
      if (this.abandon.signal.aborted) break;
      if (attempt === this.attempts) {
        this.logger.error({ ...fields, attempt, reason: outcome.reason }, 'webhook not delivered after the last attempt');
        return;
      }
      const delayMs = Math.min(this.maxDelayMs, Math.max(this.baseDelayMs * 2 ** (attempt - 1), outcome.retryAfterMs ?? 0));
      this.logger.warn({ ...fields, attempt, reason: outcome.reason, delayMs }, 'webhook attempt failed; will retry');
      if (!(await sleep(delayMs, this.abandon.signal))) break;
    }
    this.logger.warn(fields, 'webhook abandoned at shutdown');
  }

  private async attempt(url: string, delivery: Delivery): Promise<AttemptOutcome> {
    // Checked again at every attempt: the address a name resolves to now is the one connected to.
    const check = await checkCallbackUrl(url, this.allowList, this.resolve);
    if (!check.ok) return { kind: 'give-up', reason: `callbackUrl ${check.problem}` };
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(delivery.body)),
      [EVENT_HEADER]: delivery.event,
      [DELIVERY_HEADER]: delivery.deliveryId,
      [TIMESTAMP_HEADER]: timestamp,
    };
    if (delivery.secret) headers[SIGNATURE_HEADER] = signatureHeader(delivery.secret, { timestamp, deliveryId: delivery.deliveryId }, delivery.body);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = AbortSignal.any([timeout, this.abandon.signal]);
    try {
      const response = await postPinned(check.target, headers, delivery.body, signal);
      return classifyStatus(response.status, response.retryAfter);
    } catch (error) {
      return { kind: 'retry', reason: timeout.aborted ? `no answer within ${this.timeoutMs} ms` : networkReason(error), retryAfterMs: null };
    }
  }
}

/** What every attempt of one delivery sends. */
interface Delivery {
  body: string;
  event: string;
  deliveryId: string;
  secret: string | null;
}

/**
 * POSTs `body` to the checked target over a fresh connection to the checked address: the lookup
 * the socket asks for answers that address only, so the name is not resolved a second time. TLS
 * still verifies the certificate against the URL's host name. Redirects are not followed (a 30x
 * would send the client wherever the receiver points).
 */
function postPinned(target: CallbackTarget, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<{ status: number; retryAfter: string | null }> {
  const { address, family } = target.address;
  const pinnedLookup: LookupFunction = (_host, options, callback) => {
    if (options.all) (callback as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const options: RequestOptions = { method: 'POST', headers, signal, agent: false, lookup: pinnedLookup, family };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(target.url, options, (response: IncomingMessage) => {
      response.resume();
      const retryAfter = response.headers['retry-after'];
      resolve({ status: response.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : null });
    });
    request.on('error', reject);
    request.end(body);
  });
}


/** The signed headers of one delivery besides its body (x-echarts-farm-timestamp and x-echarts-farm-delivery). */
export interface SignedHeaders {
  timestamp: string | number;
  deliveryId: string;
}

/**
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<deliveryId>.<body>">`: the timestamp is signed so a
 * delivery cannot be replayed later under a new one, the delivery id so a receiver that drops
 * duplicates by id cannot be made to take a replay under a fresh id.
 */
export function signatureHeader(secret: string, signed: SignedHeaders, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${signed.timestamp}.${signed.deliveryId}.${body}`).digest('hex')}`;
}

/**
 * For receivers: true when `header` is the signature of `body` sent with these headers under
 * `secret`. Compares in constant time. Receivers should also refuse old timestamps (say, over 5 minutes).
 */
export function verifySignature(secret: string, signed: SignedHeaders, body: string | Buffer, header: string | null | undefined): boolean {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const expected = Buffer.from(signatureHeader(secret, signed, body.toString()).slice('sha256='.length), 'hex');
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** 2xx delivered; 429 and 5xx worth a retry (honouring Retry-After in seconds); anything else refused for good. */
function classifyStatus(status: number, retryAfter: string | null): AttemptOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 429 || status >= 500) {
    const seconds = retryAfter === null ? NaN : Number(retryAfter);
    return { kind: 'retry', reason: `HTTP ${status}`, retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null };
  }
  return { kind: 'give-up', reason: `HTTP ${status}` };
}

function networkReason(error: unknown): string {
  // fetch wraps the socket error (ECONNREFUSED, ENOTFOUND, ...) in `cause`.
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
  return code ?? (error instanceof Error ? error.message : String(error));
}

function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Callback URLs may carry a token in their query or user info: logs get the origin and path only. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '[not a URL]';
  }
}

/** Waits `ms`; false when `signal` aborted the wait. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
