/**
 * The page pool's default shape, derived from the host at start-up: one browser per core (fewer when
 * memory is short), two warm pages per browser and one render at a time in each browser. `tune` and
 * the benchmark suite found this shape fastest on a mix of pixel ratios: a page renders only at the
 * ratio it was loaded with, so a second page per browser keeps ratio 1 and ratio 2 warm, and one
 * render per browser keeps a core per render.
 */
import { availableParallelism, totalmem } from 'node:os';

export interface HostPoolShape {
  browsers: number;
  pagesPerBrowser: number;
  rendersPerBrowser: number;
}

/** What one browser with its two pages takes after hundreds of renders (measured: ~330–400 MiB plus ~130 MiB a page, with room). */
export const BROWSER_BUDGET_MIB = 700;
/** Share of the host's memory the default pool may take; the rest is left to Node, Redis and the system. */
const MEMORY_SHARE = 0.5;
const MAX_DEFAULT_BROWSERS = 16;

export function hostPoolShape(cores = availableParallelism(), totalMemoryMib = totalmem() / 1024 / 1024): HostPoolShape {
  const byMemory = Math.floor((totalMemoryMib * MEMORY_SHARE) / BROWSER_BUDGET_MIB);
  return {
    browsers: Math.max(1, Math.min(cores, byMemory, MAX_DEFAULT_BROWSERS)),
    pagesPerBrowser: 2,
    rendersPerBrowser: 1,
  };
}
