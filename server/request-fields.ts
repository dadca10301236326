/**
 * Unknown fields are refused, not ignored: a typo such as `widht` would otherwise render a chart of
 * the default size without a word. The refusal names the field and the closest known one.
 */
import { validationError } from '../errors/farm-error.js';

/** Edits (insert, delete, replace) between two short names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The known field closest to `name`, when it is close enough to be a typo. */
export function closestField(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { field: string; distance: number } | undefined;
  for (const field of known) {
    const distance = editDistance(lower, field.toLowerCase());
    if (!best || distance < best.distance) best = { field, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(best.field.length / 3)) ? best.field : undefined;
}

/** Throws INVALID_REQUEST for the first key of `body` that is not in `known`; `prefix` names where the body sits. */
export function refuseUnknownFields(body: Record<string, unknown>, known: readonly string[], prefix = ''): void {
  for (const key of Object.keys(body)) {
    if (known.includes(key)) continue;
    const field = `${prefix}${key}`;
    const hint = closestField(key, known);
    throw validationError(
      'INVALID_REQUEST',
      `${field} is not a field of this request${hint ? `; did you mean ${prefix}${hint}?` : ''}`,
      { field, ...(hint ? { didYouMean: `${prefix}${hint}` } : {}), known },
    );
  }
}
