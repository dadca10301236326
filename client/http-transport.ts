/**
 * One HTTP exchange with the farm: the URL under the base, the credentials, the envelope read, a
 * deadline per call, and bounded retries with backoff of connection failures and of 503 and 429
 * answers (which honour Retry-After).
 */
import { FarmApiError, FarmClientError, FarmConnectionError, FarmTimeoutError } from './errors.js';
import { retryAfterMs } from './retry-after.js';
import type { ErrorReason, ErrorType } from './types.js';

/** How the transport reaches and authenticates to the farm. */
export interface TransportOptions {
  baseUrl: string;
  apiKey?: string;
  token?: string | (() => string | Promise<string>);
  headers?: Record<string, string>;
  maxRetries: number;
  maxRetryDelayMs: number;
  /** The deadline of a call that names none; undefined: no limit. */
  timeoutMs: number | undefined;
  fetch: typeof fetch;
}

/** One request. */
export interface Exchange {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** The deadline of the whole call, retries included; undefined: the client's; null: none (event streams). */
  timeoutMs?: number | null;
}

/** The envelope of a successful JSON answer. */
export interface Enveloped<T> {
  status: number;
  msg: string;
  data: T;
}

// Both mean "not now": the request did nothing, so sending it again is safe, POSTs included.
const RETRYABLE_STATUSES = new Set([429, 503]);
// Failures before a byte was sent: a POST may be sent again without queueing a chart twice.
const NOTHING_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const FIRST_BACKOFF_MS = 250;

/** Whether a failed fetch may be sent again: any read, a write only when it never left. */
function mayResend(method: Exchange['method'], error: unknown): boolean {
  if (method !== 'POST') return true;
  const code = ((error as { cause?: { code?: unknown } }).cause ?? (error as { code?: unknown })).code;
  return typeof code === 'string' && NOTHING_SENT_CODES.has(code);
}

/**
 * A signal that aborts when either does (AbortSignal.any, which Node before 20.3 lacks), and how to
 * let go of the caller's signal afterwards: a long-lived one would otherwise collect a listener per call.
 */
export function eitherSignal(first: AbortSignal | undefined, second: AbortSignal | undefined): { signal?: AbortSignal; release(): void } {
  if (!first || !second) return { signal: first ?? second, release: () => undefined };
  const controller = new AbortController();
  const forward = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  for (const signal of [first, second]) {
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener('abort', forward, { once: true });
  }
  return {
    signal: controller.signal,
    release: () => [first, second].forEach((signal) => signal.removeEventListener('abort', forward)),
  };
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function problemOf(response: Response): Promise<FarmApiError> {
  const text = await response.text().catch(() => '');
  let envelope: { msg?: unknown; error?: { type?: ErrorType; reason?: ErrorReason; details?: Record<string, unknown> } } | undefined;
  try {
    envelope = JSON.parse(text);
  } catch {
    envelope = undefined;
  }
  const error = envelope?.error;
  return new FarmApiError({
    status: response.status,
    message: typeof envelope?.msg === 'string' ? envelope.msg : `HTTP ${response.status}: ${text.slice(0, 200) || response.statusText}`,
    type: error?.type ?? null,
    reason: error?.reason ?? null,
    details: error?.details ?? {},
    requestId: response.headers.get('x-request-id'),
    retryAfterMs: retryAfterMs(response.headers.get('retry-after')) ?? null,
  });
}

/** Sends requests to one farm. */
export class HttpTransport {
  private readonly base: URL;

  constructor(private readonly options: TransportOptions) {
    // A trailing slash keeps a base path (https://host/farm) when paths are resolved under it.
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  }

  /** `path` (or an absolute URL, kept as it is) resolved under the base URL. */
  resolve(path: string): string {
    return new URL(path.startsWith('/') && !path.startsWith('//') ? path.slice(1) : path, this.base).href;
  }

  /**
   * The answer of a successful exchange, read by `read` within the same deadline; throws FarmApiError
   * for an error answer, FarmConnectionError when the farm cannot be reached, FarmTimeoutError past
   * the deadline. Without `read` the answer's body is left to the caller (an event stream).
   */
  async send(exchange: Exchange): Promise<Response>;
  async send<T>(exchange: Exchange, read: (response: Response) => Promise<T>): Promise<T>;
  async send<T>(exchange: Exchange, read?: (response: Response) => Promise<T>): Promise<T | Response> {
    const url = new URL(this.resolve(exchange.path));
    for (const [name, value] of Object.entries(exchange.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const request = `${exchange.method} ${url.href}`;
    const timeoutMs = exchange.timeoutMs === undefined ? this.options.timeoutMs : (exchange.timeoutMs ?? undefined);
    const deadline = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
    const { signal, release } = eitherSignal(exchange.signal, deadline);
    try {
      for (let attempt = 0; ; attempt += 1) {
        let response: Response;
        try {
          response = await this.options.fetch(url, {
            method: exchange.method,
            headers: await this.headers(exchange),
            body: exchange.body === undefined ? undefined : JSON.stringify(exchange.body),
            signal,
          });
        } catch (error) {
          if (signal?.aborted) throw error;
          if (attempt >= this.options.maxRetries || !mayResend(exchange.method, error)) throw new FarmConnectionError(request, attempt + 1, error);
          await sleep(FIRST_BACKOFF_MS * 2 ** attempt, signal);
          continue;
        }
        if (response.ok) return read ? await read(response) : response;
        const problem = await problemOf(response);
        if (!RETRYABLE_STATUSES.has(response.status) || attempt >= this.options.maxRetries) throw problem;
        const delayMs = problem.retryAfterMs ?? FIRST_BACKOFF_MS * 2 ** attempt;
        // Coming back sooner than the farm asked would only be refused again: give the caller the error now.
        if (delayMs > this.options.maxRetryDelayMs) throw problem;
        await sleep(delayMs, signal);
      }
    } catch (error) {
      if (deadline?.aborted && !exchange.signal?.aborted) throw new FarmTimeoutError(request, timeoutMs!);
      throw error;
    } finally {
      release();
    }
  }

  /** `data` of a successful JSON answer. */
  json<T>(exchange: Exchange): Promise<Enveloped<T>> {
    return this.send({ ...exchange, headers: { accept: 'application/json', ...exchange.headers } }, async (response) => {
      const envelope = (await response.json().catch((error: unknown) => {
        throw new FarmClientError(`${exchange.method} ${exchange.path} answered ${response.status} with no JSON`, { cause: error });
      })) as { msg?: string; data?: T };
      if (envelope.data === undefined || envelope.data === null) {
        throw new FarmClientError(`${exchange.method} ${exchange.path} answered ${response.status} without data`);
      }
      return { status: response.status, msg: envelope.msg ?? '', data: envelope.data };
    });
  }

  private async headers(exchange: Exchange): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...this.options.headers, ...exchange.headers };
    if (exchange.body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.apiKey) headers['x-api-key'] = this.options.apiKey;
    const token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  }
}
