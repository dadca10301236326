/**
 * One HTTP exchange with the farm: the URL under the base, the credentials, the envelope read, and
 * bounded retries of 503 and 429 answers that honour Retry-After.
 */
import type { ErrorReason, ErrorType } from '../errors/farm-error.js';
import { FarmApiError, FarmClientError } from './errors.js';
import { retryAfterMs } from './retry-after.js';

/** How the transport reaches and authenticates to the farm. */
export interface TransportOptions {
  baseUrl: string;
  apiKey?: string;
  token?: string | (() => string | Promise<string>);
  headers?: Record<string, string>;
  maxRetries: number;
  maxRetryDelayMs: number;
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
}

/** The envelope of a successful JSON answer. */
export interface Enveloped<T> {
  status: number;
  msg: string;
  data: T;
}

// Both mean "not now": the request did nothing, so sending it again is safe, POSTs included.
const RETRYABLE_STATUSES = new Set([429, 503]);
const FIRST_BACKOFF_MS = 250;

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

  /** The answer of a successful exchange; throws FarmApiError for an error answer. */
  async send(exchange: Exchange): Promise<Response> {
    const url = new URL(exchange.path.replace(/^\//, ''), this.base);
    for (const [name, value] of Object.entries(exchange.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    for (let attempt = 0; ; attempt += 1) {
      const response = await this.options.fetch(url, {
        method: exchange.method,
        headers: await this.headers(exchange),
        body: exchange.body === undefined ? undefined : JSON.stringify(exchange.body),
        signal: exchange.signal,
      });
      if (response.ok) return response;
      const problem = await problemOf(response);
      if (!RETRYABLE_STATUSES.has(response.status) || attempt >= this.options.maxRetries) throw problem;
      const delayMs = problem.retryAfterMs ?? FIRST_BACKOFF_MS * 2 ** attempt;
      // Coming back sooner than the farm asked would only be refused again: give the caller the error now.
      if (delayMs > this.options.maxRetryDelayMs) throw problem;
      await sleep(delayMs, exchange.signal);
    }
  }

  /** `data` of a successful JSON answer. */
  async json<T>(exchange: Exchange): Promise<Enveloped<T>> {
    const response = await this.send({ ...exchange, headers: { accept: 'application/json', ...exchange.headers } });
    const envelope = (await response.json().catch((error: unknown) => {
      throw new FarmClientError(`${exchange.method} ${exchange.path} answered ${response.status} with no JSON`, { cause: error });
    })) as { msg?: string; data?: T };
    if (envelope.data === undefined || envelope.data === null) {
      throw new FarmClientError(`${exchange.method} ${exchange.path} answered ${response.status} without data`);
    }
    return { status: response.status, msg: envelope.msg ?? '', data: envelope.data };
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
