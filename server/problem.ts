/**
 * An error answer before it becomes the envelope, and the reasons only the HTTP layer gives.
 */
import type { ErrorReason, ErrorType } from '../errors/farm-error.js';

/**
 * Reasons the HTTP layer needs that `ErrorReason` (errors/farm-error.ts) does not list yet. Once they
 * join it, `ServerError` can go and these answers become plain `FarmError`s.
 */
export type ServerOnlyReason = 'NOT_IMPLEMENTED' | 'NOT_READY';

/** Every reason an error envelope can carry. */
export type ServerReason = ErrorReason | ServerOnlyReason;

/** What the error envelope says: HTTP status, family, stable reason, message and details. */
export interface Problem {
  status: number;
  type: ErrorType;
  reason: ServerReason;
  message: string;
  details: Record<string, unknown>;
}

/** An error the HTTP layer raises with a reason `FarmError` cannot carry (see `ServerOnlyReason`). */
export class ServerError extends Error {
  constructor(
    readonly problem: Problem,
    options: { cause?: unknown } = {},
  ) {
    super(problem.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ServerError';
  }
}
