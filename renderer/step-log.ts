import type { RenderLogger } from './render-logger.js';

/**
 * One debug line per named step with its duration, so a log query for one step (`step: "upload"`)
 * shows where the time of a request or task went. The logger carries the request or task id.
 */
export function logSteps(logger: Pick<RenderLogger, 'debug'>, steps: readonly [name: string, ms: number][]): void {
  for (const [step, ms] of steps) logger.debug({ step, ms: Math.round(ms * 10) / 10 }, `step ${step}`);
}

/**
 * A warning for a chart captured at the cap (RENDER_FINISHED_WAIT_MS): only a chart whose looping
 * effects never let it finish should ever be, so each one is worth a look. The logger carries the
 * request or task id.
 */
export function warnIfCapped(logger: Pick<RenderLogger, 'warn'>, settledBy: 'finished' | 'cap' | null | undefined): void {
  if (settledBy === 'cap') logger.warn({ settledBy }, 'chart captured at RENDER_FINISHED_WAIT_MS: it never reported finished (looping effects?)');
}
