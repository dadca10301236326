/**
 * The one map from anything thrown while answering a request to the problem the client sees. Typed
 * errors keep their status, type and reason; anything else becomes an opaque 500 that names the
 * request id, so the client can quote it and the operator can find the logged stack.
 */
import { isFarmError } from '../errors/farm-error.js';
import type { Problem } from './problem.js';

/** The problem to answer for `error`; never carries a stack trace. */
export function problemFor(error: unknown, requestId: string): Problem {
  if (isFarmError(error) && isErrorStatus(error.status)) {
    return { status: error.status, type: error.type, reason: error.reason, message: error.message, details: error.details };
  }
  return internalProblem(requestId);
}

/** The opaque answer for a failure nobody anticipated. */
export function internalProblem(requestId: string): Problem {
  return {
    status: 500,
    type: 'SYSTEM_ERROR',
    reason: 'INTERNAL',
    message: `internal error while answering request ${requestId}; quote this id when reporting it`,
    details: { requestId },
  };
}

// A typed error with a status that is no HTTP error would make the envelope lie: treat it as unknown.
function isErrorStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 400 && status <= 599;
}
