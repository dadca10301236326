/**
 * The one error type every storage driver throws. Storage imports nothing of ours, so the task
 * runner maps it to `UPLOAD_FAILED` (and reads `retryable`) instead of storage knowing FarmError.
 */

/**
 * Stable codes a caller may branch on.
 * - `INVALID_KEY`: the key breaks the key rules; the same call can never succeed.
 * - `INVALID_RANGE`: the byte range lies outside the object (HTTP 416).
 * - `ACCESS_DENIED`: credentials or file permissions refuse the operation.
 * - `MISCONFIGURED`: the driver's settings are wrong (missing bucket, root is a file, ...).
 * - `UNAVAILABLE`: the backend did not answer or answered 5xx; worth trying again.
 * - `IO_ERROR`: any other failure of the backend (disk full, too many open files, ...).
 */
export type StorageErrorCode = 'INVALID_KEY' | 'INVALID_RANGE' | 'ACCESS_DENIED' | 'MISCONFIGURED' | 'UNAVAILABLE' | 'IO_ERROR';

/** Codes that may succeed when the same call is made again later. */
const RETRYABLE_CODES: ReadonlySet<StorageErrorCode> = new Set(['UNAVAILABLE', 'IO_ERROR']);

export interface StorageErrorInit {
  code: StorageErrorCode;
  message: string;
  /** The object key concerned, when there is one. */
  key?: string | null;
  /**
   * Overrides the code's default.
   * @defaultValue true for `UNAVAILABLE` and `IO_ERROR`, false otherwise
   */
  retryable?: boolean;
  cause?: unknown;
}

/** A storage operation failed; `retryable` tells the caller whether trying again can help. */
export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly retryable: boolean;
  readonly key: string | null;

  constructor(init: StorageErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'StorageError';
    this.code = init.code;
    this.key = init.key ?? null;
    this.retryable = init.retryable ?? RETRYABLE_CODES.has(init.code);
  }
}

export function isStorageError(error: unknown): error is StorageError {
  return error instanceof StorageError;
}
