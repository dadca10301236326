/** HTTP byte-range arithmetic shared by the drivers, so every driver answers a range the same way. */
import type { ByteRange } from './object-store.js';
import { StorageError } from './storage-error.js';

/**
 * The part of an object of `size` bytes that `range` asks for, with the end cut to the last byte.
 * Throws INVALID_RANGE when the range is malformed or starts past the end (HTTP 416).
 */
export function resolveRange(range: ByteRange, size: number, key: string): ByteRange {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new StorageError({ code: 'INVALID_RANGE', message: `byte range ${start}-${end} is malformed`, key });
  }
  if (start >= size) {
    throw new StorageError({ code: 'INVALID_RANGE', message: `byte range ${start}-${end} starts past the end of a ${size}-byte object`, key });
  }
  return { start, end: Math.min(end, size - 1) };
}

/** `bytes 2-5/10` (a Content-Range answer) → the range and the whole size; null for anything else. */
export function parseContentRange(header: string | undefined): { range: ByteRange; size: number } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header?.trim() ?? '');
  if (!match) return null;
  return { range: { start: Number(match[1]), end: Number(match[2]) }, size: Number(match[3]) };
}
