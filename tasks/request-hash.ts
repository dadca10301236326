import { createHash } from 'node:crypto';
import type { RenderRequest } from '../renderer/render-request.js';
import type { ExportJob } from '../reports/export-job.js';

/** JSON with object keys sorted, so equal options hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, child]) => child !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
}

/**
 * Everything of a request that decides its image, hashed: the option, size, type, pixel ratio,
 * background, theme, quality and engine. With the render fingerprint it keys the result cache.
 */
export function requestHash(request: RenderRequest | ExportJob): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}
