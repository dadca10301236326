/**
 * The errors the client throws: `FarmApiError` for an error answer of the farm (its envelope's
 * type, reason and details), `FarmWaitTimeoutError` when `wait` runs out of time, and
 * `FarmClientError` for an answer the client cannot read. An aborted call rejects with the
 * signal's reason, as `fetch` does.
 */
import type { ErrorReason, ErrorType } from '../errors/farm-error.js';
import type { TaskView } from '../tasks/task-view.js';

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
