/** Reads a failure of the ali-oss client and says, in the farm's words, what went wrong and which OSS_* setting to check. */
import { firstLine, storageErrorFor } from './backend-failure.js';
import type { StorageError } from './storage-error.js';

interface OssClientError {
  name?: string;
  status?: number;
  code?: string;
  message?: string;
}

/** HTTP status, null for no answer (ali-oss marks network errors -1, timeouts -2), undefined when nothing was sent. */
function statusOf(error: OssClientError): number | null | undefined {
  if (typeof error.status === 'number' && error.status > 0) return error.status;
  if (error.status === -1 || error.status === -2) return null;
  if (/Timeout|RequestError|ResponseError|SocketError/.test(error.name ?? '')) return null;
  if (typeof error.code === 'string' && /^E[A-Z]{3,}$/.test(error.code)) return null;
  return undefined;
}

function hintFor(status: number | null | undefined, code: string | null, message: string, operation: string): string | null {
  if (status === null) return 'check OSS_REGION (or OSS_ENDPOINT) and that this host can reach it';
  switch (code) {
    case 'NoSuchBucket':
      return 'OSS_BUCKET names no bucket at this endpoint: check OSS_BUCKET and OSS_REGION';
    case 'InvalidAccessKeyId':
      return 'OSS_ACCESS_KEY_ID is not an active AccessKey ID';
    case 'SignatureDoesNotMatch':
      return 'OSS_ACCESS_KEY_SECRET is not the secret of OSS_ACCESS_KEY_ID';
    case 'AccessDenied':
      // OSS answers a request sent to the wrong region's endpoint with this code and this sentence.
      if (/specified endpoint/i.test(message)) return 'the bucket lives in another region: check OSS_REGION (or OSS_ENDPOINT)';
      return `the RAM user of OSS_ACCESS_KEY_ID may not ${operation} objects in OSS_BUCKET`;
    default:
      return null;
  }
}

/** True when ali-oss says the object does not exist. */
export function isOssNotFound(error: unknown): boolean {
  const failure = error as OssClientError;
  return failure?.status === 404 && (failure.code === 'NoSuchKey' || failure.name === 'NoSuchKeyError');
}

/** The StorageError for a failed ali-oss call. */
export function ossFailure(error: unknown, operation: string, key: string | null): StorageError {
  const failure = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as OssClientError;
  const status = statusOf(failure);
  const code = failure.code && failure.code !== failure.name ? failure.code : null;
  const message = firstLine(failure.message ?? String(error));
  // urllib appends the request and its agent's state after a comma: keep the cause only.
  const detail = status === null ? message.split(', ')[0]! : message;
  return storageErrorFor({ service: 'OSS', operation, key, status, serviceCode: code, detail, hint: hintFor(status, code, failure.message ?? '', operation), cause: error });
}
