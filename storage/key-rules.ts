/**
 * The rules every object key obeys on every driver, so a key that works on S3 cannot escape the
 * root directory of the local driver (or the reverse). tasks/object-keys.ts reuses them for
 * `ossPath`, so both say the same thing about the same mistake.
 */
import { StorageError } from './storage-error.js';

/** S3 allows 1024 bytes, OSS 1023: the smaller one, so a key is portable. */
export const MAX_KEY_BYTES = 1023;

// C0, DEL and C1 controls: invisible in logs, and a newline would split a signed header.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** Says what is wrong with a relative `/`-separated path, or null when nothing is. */
export function pathProblem(path: string): string | null {
  if (path.length === 0) return 'must not be empty';
  if (CONTROL_CHARACTERS.test(path)) return 'must not contain control characters';
  if (path.includes('\\')) return 'must not contain backslashes';
  if (path.startsWith('/')) return 'must be relative, not an absolute path';
  for (const segment of path.split('/')) {
    if (segment === '') return 'must not contain empty segments ("//" or a trailing "/")';
    if (segment === '.' || segment === '..') return 'must not contain "." or ".." segments';
  }
  return null;
}

/** Says what is wrong with an object key, or null when nothing is. */
export function keyProblem(key: string): string | null {
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `must be at most ${MAX_KEY_BYTES} bytes long`;
  return pathProblem(key);
}

/** Throws INVALID_KEY when `key` breaks the key rules. */
export function assertValidKey(key: string): void {
  const problem = typeof key === 'string' ? keyProblem(key) : 'must be a string';
  if (problem !== null) {
    throw new StorageError({ code: 'INVALID_KEY', message: `object key ${JSON.stringify(key)} ${problem}`, key: String(key) });
  }
}
