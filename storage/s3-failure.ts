/** Reads a failure of the AWS SDK's S3 client and says, in the farm's words, what went wrong and which S3_* setting to check. */
import { firstLine, storageErrorFor } from './backend-failure.js';
import type { StorageError } from './storage-error.js';

interface S3ClientError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** HTTP status, null when no answer came (refused, DNS, timeout), undefined when nothing was sent. */
function statusOf(error: S3ClientError): number | null | undefined {
  const status = error.$metadata?.httpStatusCode;
  if (typeof status === 'number') return status;
  if (error.name === 'TimeoutError' || error.name === 'RequestTimeout') return null;
  if (typeof error.code === 'string' && /^E[A-Z]{3,}$/.test(error.code)) return null;
  return undefined;
}

function hintFor(status: number | null | undefined, code: string | null, operation: string): string | null {
  if (status === null) return 'check S3_ENDPOINT (or S3_REGION) and that this host can reach it';
  if (status === 301 || status === 307) return 'the bucket lives in another region: check S3_REGION (or S3_ENDPOINT)';
  switch (code) {
    case 'NoSuchBucket':
      return 'S3_BUCKET names no bucket at this endpoint: check S3_BUCKET (and S3_ENDPOINT, S3_FORCE_PATH_STYLE)';
    case 'InvalidAccessKeyId':
      return 'S3_ACCESS_KEY_ID is not an active access key';
    case 'SignatureDoesNotMatch':
      return 'S3_SECRET_ACCESS_KEY is not the secret of S3_ACCESS_KEY_ID';
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
    case 'IllegalLocationConstraintException':
      return 'the bucket lives in another region: check S3_REGION (or S3_ENDPOINT)';
    case 'CredentialsProviderError':
      return 'no credentials: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or give the process AWS credentials';
    case 'AccessDenied':
      return `the credentials may not ${operation} objects in S3_BUCKET`;
    default:
      return null;
  }
}

/** True when S3 says the object does not exist (GET answers NoSuchKey, HEAD a bodiless 404). */
export function isS3NotFound(error: unknown): boolean {
  const failure = error as S3ClientError;
  return failure?.name === 'NoSuchKey' || (failure?.name === 'NotFound' && failure.$metadata?.httpStatusCode === 404);
}

/** The StorageError for a failed S3 call. */
export function s3Failure(error: unknown, operation: string, key: string | null): StorageError {
  const failure = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as S3ClientError;
  const status = statusOf(failure);
  const code = failure.name === 'CredentialsProviderError' ? failure.name : status === null || status === undefined ? null : (failure.name ?? null);
  // Without credentials the SDK fails before sending: a setting, not a bug.
  const effectiveStatus = code === 'CredentialsProviderError' ? 401 : status;
  const detail = firstLine(failure.message || failure.name || String(error));
  return storageErrorFor({ service: 'S3', operation, key, status: effectiveStatus, serviceCode: code, detail, hint: hintFor(effectiveStatus, code, operation), cause: error });
}
