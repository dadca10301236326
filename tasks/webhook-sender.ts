/**
 * Tells a task's `callbackUrl` how the task ended: one signed JSON POST, retried with backoff while
 * the receiver is down or busy. A webhook is a courtesy to the client, so it never fails the task or
 * the worker: every outcome ends in a log line, never in a thrown error.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
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
  /** Signs every delivery (WEBHOOK_SECRET); without one, no signature header is sent. */
  secret?: string | null;
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
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      const outcome = await this.attempt(url, body, event, fields.deliveryId);
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

  private async attempt(url: string, body: string, event: string, deliveryId: string): Promise<AttemptOutcome> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [EVENT_HEADER]: event,
      [DELIVERY_HEADER]: deliveryId,
      [TIMESTAMP_HEADER]: timestamp,
    };
    if (this.secret !== null) headers[SIGNATURE_HEADER] = signatureHeader(this.secret, timestamp, body);
    const signal = AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.abandon.signal]);
    try {
      // No redirects: a 30x would turn the POST into a GET to wherever the receiver points.
      const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal });
      await response.body?.cancel().catch(() => undefined);
      return classifyStatus(response.status, response.headers.get('retry-after'));
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      return { kind: 'retry', reason: timedOut ? `no answer within ${this.timeoutMs} ms` : networkReason(error), retryAfterMs: null };
    }
  }
}


/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`: the timestamp is signed so a delivery cannot be replayed later under a new one. */
export function signatureHeader(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * For receivers: true when `header` is the signature of `body` sent at `timestamp` under `secret`.
 * Compares in constant time. Receivers should also refuse old timestamps (say, over 5 minutes).
 */
export function verifySignature(secret: string, timestamp: string | number, body: string | Buffer, header: string | null | undefined): boolean {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const expected = Buffer.from(signatureHeader(secret, String(timestamp), body.toString()).slice('sha256='.length), 'hex');
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
