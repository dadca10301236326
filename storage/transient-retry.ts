/**
 * Retries of an operation whose backend may be briefly away: network errors and 5xx answers (the
 * drivers turn both into `UNAVAILABLE`) are tried again with exponential backoff; anything else
 * (a refused key, a missing bucket) fails at once, since trying again cannot help.
 */
import { StorageError } from './storage-error.js';

/** How hard an operation is retried. */
export interface RetryPolicy {
  /**
   * Attempts in all, the first included: 3 means the first try and two retries.
   * @defaultValue 3
   */
  attempts?: number;
  /**
   * Delay before the first retry; each next one waits twice as long, plus up to 20% jitter so
   * workers that failed together do not retry together.
   * @defaultValue 200
   */
  baseDelayMs?: number;
}

const DEFAULT_ATTEMPTS = 3;
const DEFAULT_BASE_DELAY_MS = 200;

/** Only a backend that did not answer, or answered 5xx, may answer differently next time. */
function isTransient(error: unknown): error is StorageError {
  return error instanceof StorageError && error.code === 'UNAVAILABLE';
}

/**
 * Runs `operation`, retrying transient failures. After the last attempt the failure is an
 * `UNAVAILABLE` StorageError (retryable) that says how often it was tried.
 * @param what names the operation in the final error, e.g. `upload of "a/b.png" to OSS`
 */
export async function withTransientRetries<T>(what: string, policy: RetryPolicy, operation: () => Promise<T>): Promise<T> {
  const attempts = Math.max(1, policy.attempts ?? DEFAULT_ATTEMPTS);
  const baseDelayMs = policy.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (attempt >= attempts) {
        throw new StorageError({
          code: 'UNAVAILABLE',
          message: `${what} failed after ${attempts} attempt(s): ${error.message}`,
          key: error.key,
          cause: error,
        });
      }
      const delay = baseDelayMs * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay * 0.2));
    }
  }
}
