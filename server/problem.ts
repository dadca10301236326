/** An error answer before it becomes the envelope. */
import type { ErrorReason, ErrorType } from '../errors/farm-error.js';

/** What the error envelope says: HTTP status, family, stable reason, message and details. */
export interface Problem {
  status: number;
  type: ErrorType;
  reason: ErrorReason;
  message: string;
  details: Record<string, unknown>;
}
