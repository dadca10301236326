/**
 * Typed errors shared by every room. The server turns them into the HTTP envelope through one map
 * (`server/middleware/error-envelope.ts`); the task system reads `retryable` to decide on retries.
 */

import { ERROR_REASON_DOCS, type ErrorReason, type ErrorType, type ReasonOf } from './error-reasons.js';

export type { ErrorReason, ErrorType } from './error-reasons.js';

export interface FarmErrorInit {
  reason: ErrorReason;
  message: string;
  /** Overrides the reason's own `retryable` for this one case (a crash the request's own script caused). */
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** A failure with a reason of the table: its family, HTTP status and retryability come from there. */
export class FarmError extends Error {
  readonly type: ErrorType;
  readonly reason: ErrorReason;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(init: FarmErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    const row = ERROR_REASON_DOCS[init.reason];
    this.name = 'FarmError';
    this.type = row.type;
    this.reason = init.reason;
    this.status = row.status;
    this.retryable = init.retryable ?? row.retryable;
    this.details = init.details ?? {};
  }
}

/** The request itself is wrong; retrying it unchanged can never succeed. */
export function validationError(reason: ReasonOf<'VALIDATION_ERROR'>, message: string, details: Record<string, unknown> = {}): FarmError {
  return new FarmError({ reason, message, details });
}

/** The request was well formed but the chart could not be drawn. */
export function processingError(reason: ReasonOf<'PROCESSING_ERROR'>, message: string, details: Record<string, unknown> = {}): FarmError {
  return new FarmError({ reason, message, details });
}

/** The farm could not serve the request now; the same request may succeed later. */
export function systemError(
  reason: ReasonOf<'SYSTEM_ERROR'>,
  message: string,
  options: { retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {},
): FarmError {
  return new FarmError({ reason, message, ...options });
}

export function isFarmError(error: unknown): error is FarmError {
  return error instanceof FarmError;
}
