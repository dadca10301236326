/** What `tune` tries: pool shapes and concurrency levels, by default derived from the host's cores. */
import { pagesOf, rendersAtOnceOf, type PoolShape } from './pool-shape-target.js';

/** A concurrency for each shape: a fixed number, or a multiple of the renders the shape runs at once (its pages, unless capped per browser). */
export interface ConcurrencyLevel {
  /** As the operator wrote it: `pages`, `2xpages`, `4`. */
  label: string;
  of(shape: PoolShape): number;
}

/** `pages`, `2xpages` (also `2*pages`, `2×pages`) or a whole number from 1 up; undefined when it is none of them. */
export function parseConcurrencyLevel(text: string): ConcurrencyLevel | undefined {
  const trimmed = text.trim();
  const multiple = /^(?:(\d+)\s*[x*×]\s*)?pages$/.exec(trimmed);
  if (multiple) {
    const factor = Number(multiple[1] ?? 1);
    if (factor < 1) return undefined;
    return { label: factor === 1 ? 'pages' : `${factor}xpages`, of: (shape) => factor * rendersAtOnceOf(shape) };
  }
  if (/^\d+$/.test(trimmed) && Number(trimmed) >= 1) return { label: trimmed, of: () => Number(trimmed) };
  return undefined;
}

/**
 * `2x1` (also `2×1`): browsers × pages per browser, each from 1 up; `2x2/1`: of those pages, 1 renders
 * at a time per browser (POOL_RENDERS_PER_BROWSER). Undefined when it is none of them.
 */
export function parsePoolShape(text: string): PoolShape | undefined {
  const match = /^(\d+)\s*[x×]\s*(\d+)(?:\s*\/\s*(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const shape: PoolShape = { browsers: Number(match[1]), pagesPerBrowser: Number(match[2]) };
  if (match[3] !== undefined) shape.rendersPerBrowser = Number(match[3]);
  const capFits = shape.rendersPerBrowser === undefined || (shape.rendersPerBrowser >= 1 && shape.rendersPerBrowser <= shape.pagesPerBrowser);
  return shape.browsers >= 1 && shape.pagesPerBrowser >= 1 && capFits ? shape : undefined;
}

/** Concurrency as many as the pages, then twice that: beyond the pages, renders only queue for one. */
export const DEFAULT_LEVELS: readonly ConcurrencyLevel[] = [parseConcurrencyLevel('pages')!, parseConcurrencyLevel('2xpages')!];

/**
 * One browser, half the cores, the cores, one more than the cores; one or two pages each; at most
 * two pages per core; and a browser per core with a page per pixel ratio, one rendering at a time
 * (the layout for a mix of ratios). On 2 cores: 1×1, 1×2, 2×1, 3×1, 2×2, 2×2/1. Ordered by pages,
 * then browsers, the capped shape last among equals.
 */
export function defaultShapes(cores: number): PoolShape[] {
  const browserCounts = [...new Set([1, Math.ceil(cores / 2), cores, cores + 1])];
  return [
    ...browserCounts.flatMap((browsers) => [1, 2].map((pagesPerBrowser): PoolShape => ({ browsers, pagesPerBrowser }))),
    { browsers: cores, pagesPerBrowser: 2, rendersPerBrowser: 1 },
  ]
    .filter((shape) => pagesOf(shape) <= 2 * cores)
    .sort((a, b) => pagesOf(a) - pagesOf(b) || a.browsers - b.browsers || (a.rendersPerBrowser ?? 0) - (b.rendersPerBrowser ?? 0));
}

/** The concurrencies of `shape` under `levels`, without repeats, in the levels' order. */
export function concurrenciesOf(shape: PoolShape, levels: readonly ConcurrencyLevel[]): number[] {
  return [...new Set(levels.map((level) => level.of(shape)))];
}
