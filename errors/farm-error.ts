/**
 * Typed errors shared by every room. The server turns them into the HTTP envelope through one map
 * (`server/middleware/error-envelope.ts`); the task system reads `retryable` to decide on retries.
 */

/** The three families of the HTTP contract. */
export type ErrorType = 'VALIDATION_ERROR' | 'PROCESSING_ERROR' | 'SYSTEM_ERROR';

/** Stable machine codes clients may branch on. */
export type ErrorReason =
  | 'INVALID_OPTION'
  | 'INVALID_REQUEST'
  | 'INVALID_JSON'
  | 'FUNCTIONS_NOT_ALLOWED'
  | 'UNKNOWN_THEME'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'RATE_LIMITED'
  | 'METHOD_NOT_ALLOWED'
  | 'RENDER_TIMEOUT'
  | 'RENDER_FAILED'
  | 'BROWSER_CRASHED'
  | 'POOL_EXHAUSTED'
  | 'POOL_CLOSED'
  | 'NOT_READY'
  | 'NOT_IMPLEMENTED'
  | 'QUEUE_FULL'
  | 'QUEUE_UNAVAILABLE'
  | 'TASK_TIMEOUT'
  | 'CANCELLED'
  | 'UPLOAD_FAILED'
  | 'STORAGE_UNAVAILABLE'
  | 'SHUTTING_DOWN'
  | 'WORKER_LOST'
  | 'INTERNAL';

export interface FarmErrorInit {
  type: ErrorType;
  reason: ErrorReason;
  status: number;
  message: string;
  /** A failure that may succeed when tried again (a crashed browser), unlike bad input. */
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class FarmError extends Error {
  readonly type: ErrorType;
  readonly reason: ErrorReason;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(init: FarmErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'FarmError';
    this.type = init.type;
    this.reason = init.reason;
    this.status = init.status;
    this.retryable = init.retryable ?? false;
    this.details = init.details ?? {};
  }
}

/** 400: the request itself is wrong; retrying it unchanged can never succeed. */
export function validationError(
  reason: ErrorReason,
  message: string,
  details: Record<string, unknown> = {},
  status = 400,
): FarmError {
  return new FarmError({ type: 'VALIDATION_ERROR', reason, status, message, details });
}

/** 422: the request was well formed but the chart could not be drawn. */
export function processingError(
  reason: ErrorReason,
  message: string,
  details: Record<string, unknown> = {},
): FarmError {
  return new FarmError({ type: 'PROCESSING_ERROR', reason, status: 422, message, details });
}

/** 503: the farm could not serve the request now; the same request may succeed later. */
export function systemError(
  reason: ErrorReason,
  message: string,
  options: { retryable?: boolean; details?: Record<string, unknown>; cause?: unknown; status?: number } = {},
): FarmError {
  return new FarmError({
    type: 'SYSTEM_ERROR',
    reason,
    status: options.status ?? 503,
    message,
    retryable: options.retryable ?? true,
    details: options.details,
    cause: options.cause,
  });
}

export function isFarmError(error: unknown): error is FarmError {
  return error instanceof FarmError;
}
