/**
 * One mapping from a failed call to a remote object store (OSS, S3) to a StorageError, so both
 * drivers agree on what is worth a retry: no answer, 5xx, 408 and 429 are `UNAVAILABLE` (retryable);
 * a refused key or a missing bucket is not, since the same call would fail the same way.
 */
import { StorageError, type StorageErrorCode } from './storage-error.js';

/** What a driver learned from its client library about one failed call. */
export interface BackendFailure {
  /** `OSS` or `S3`, for the message. */
  service: string;
  /** `upload`, `read`, `delete`, ... for the message. */
  operation: string;
  key: string | null;
  /**
   * The HTTP status of the answer; `null` when none came (refused connection, DNS, timeout);
   * `undefined` when the library failed before sending anything (a bug or a bad argument).
   */
  status: number | null | undefined;
  /** The service's own code: NoSuchBucket, AccessDenied, InvalidAccessKeyId, ... */
  serviceCode: string | null;
  /** The service's or the network's own words, one line. */
  detail: string;
  /** A sentence naming the setting to fix, when the failure points at one. */
  hint: string | null;
  cause: unknown;
}

/** Service codes that mean the settings are wrong rather than the backend failing. */
const MISCONFIGURATION_CODES = new Set([
  'NoSuchBucket',
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
  'InvalidBucketName',
  'CredentialsProviderError',
]);

function codeFor(failure: BackendFailure): StorageErrorCode {
  const { status, serviceCode } = failure;
  if (status === null) return 'UNAVAILABLE';
  if (status === undefined) return 'IO_ERROR';
  if (status >= 500 || status === 408 || status === 429) return 'UNAVAILABLE';
  if (status === 416) return 'INVALID_RANGE';
  if (serviceCode !== null && MISCONFIGURATION_CODES.has(serviceCode)) return 'MISCONFIGURED';
  if (status === 301 || status === 307) return 'MISCONFIGURED';
  if (status === 401 || status === 403) return 'ACCESS_DENIED';
  return 'IO_ERROR';
}

/** The StorageError for `failure`; its message says what failed, what the backend said and, when known, which setting to check. */
export function storageErrorFor(failure: BackendFailure): StorageError {
  const code = codeFor(failure);
  const target = failure.key === null ? '' : ` of ${JSON.stringify(failure.key)}`;
  const answer = failure.status === null ? 'no answer' : failure.status === undefined ? 'not sent' : `${failure.status}${failure.serviceCode ? ` ${failure.serviceCode}` : ''}`;
  const hint = failure.hint === null ? '' : `; ${failure.hint}`;
  return new StorageError({
    code,
    message: `${failure.service} ${failure.operation}${target} failed (${answer}): ${failure.detail}${hint}`,
    key: failure.key,
    // A 4xx other than 408/429 repeats itself: IO_ERROR is retryable by default, not here.
    retryable: code === 'UNAVAILABLE',
    cause: failure.cause,
  });
}

/** The first line of a library's message, without the request dump some libraries append. */
export function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
