/**
 * The errors the client throws, all of them `FarmClientError`s: `FarmApiError` for an error answer of
 * the farm (its envelope's type, reason and details), `FarmConnectionError` when the farm cannot be
 * reached, `FarmTimeoutError` when a call runs past its `timeoutMs`, `FarmWaitTimeoutError` when
 * `wait` does, and `FarmClientError` itself for an answer the client cannot read. An aborted call
 * rejects with the signal's reason, as `fetch` does.
 */
import type { ErrorReason, ErrorType, TaskView } from './types.js';

/** Any failure the client reports. */
export class FarmClientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FarmClientError';
  }
}

/** What an error answer said. */
export interface FarmApiErrorInit {
  status: number;
  message: string;
  /** Null when the answer was no envelope (a proxy's own error page, say). */
  type: ErrorType | null;
  reason: ErrorReason | null;
  details: Record<string, unknown>;
  requestId: string | null;
  retryAfterMs: number | null;
}

/** An error answer of the farm; branch on `reason` (stable) rather than on `message`. */
export class FarmApiError extends FarmClientError {
  /** The HTTP status, equal to the envelope's `code`. */
  readonly status: number;
  /** `VALIDATION_ERROR` (the request is wrong), `PROCESSING_ERROR` (the chart failed) or `SYSTEM_ERROR` (try again later). */
  readonly type: ErrorType | null;
  /** Stable machine code such as `INVALID_OPTION` or `QUEUE_FULL`; a newer farm may send reasons this client does not list. */
  readonly reason: ErrorReason | null;
  readonly details: Record<string, unknown>;
  /** The farm's X-Request-Id: quote it when reporting a problem. */
  readonly requestId: string | null;
  /** What Retry-After asked for, when the answer had one. */
  readonly retryAfterMs: number | null;

  constructor(init: FarmApiErrorInit) {
    super(init.message);
    this.name = 'FarmApiError';
    this.status = init.status;
    this.type = init.type;
    this.reason = init.reason;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** The farm could not be reached (refused, reset, unknown host) after every retry; `cause` says why. */
export class FarmConnectionError extends FarmClientError {
  constructor(
    /** `METHOD url` of the request. */
    readonly request: string,
    /** How many times it was sent. */
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`${request}: the farm cannot be reached (${describeCause(cause)}) after ${attempts} attempt(s)`, { cause });
    this.name = 'FarmConnectionError';
  }
}

/** A call ran past its `timeoutMs` (retries included). */
export class FarmTimeoutError extends FarmClientError {
  constructor(
    readonly request: string,
    readonly timeoutMs: number,
  ) {
    super(`${request}: no answer within ${timeoutMs} ms`);
    this.name = 'FarmTimeoutError';
  }
}

/** The innermost reason of a failed fetch: `fetch failed` wraps the socket's error. */
function describeCause(cause: unknown): string {
  const inner = (cause as { cause?: unknown } | undefined)?.cause ?? cause;
  const code = (inner as { code?: unknown } | undefined)?.code;
  const message = inner instanceof Error ? inner.message : String(inner);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

/** `wait` ran past its `timeoutMs`; the task itself goes on. */
export class FarmWaitTimeoutError extends FarmClientError {
  constructor(
    readonly taskId: string,
    readonly timeoutMs: number,
    /** The last state seen, if any. */
    readonly lastSeen: TaskView | null,
  ) {
    super(`task ${taskId} did not reach a final state within ${timeoutMs} ms (last seen: ${lastSeen?.status ?? 'nothing'})`);
    this.name = 'FarmWaitTimeoutError';
  }
}
