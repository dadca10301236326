/** Parsers for the values of command-line flags; a bad value is a VALIDATION_ERROR (exit code 2). */
import { validationError } from '../errors/farm-error.js';

/** `--flag <number>`; undefined when the flag is absent. */
export function numberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw validationError('INVALID_REQUEST', `--${flag} takes a number, got "${value}"`);
  return parsed;
}

/** `--flag <share>`: a number from 0 to 1; `fallback` when the flag is absent. */
export function shareFlag(value: string | undefined, flag: string, fallback: number): number {
  const share = numberFlag(value, flag) ?? fallback;
  if (share < 0 || share > 1) throw validationError('INVALID_REQUEST', `--${flag} takes a share from 0 to 1 (0.01 is 1%), got ${share}`);
  return share;
}
