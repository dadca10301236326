import type { RenderLogger } from './render-logger.js';

/**
 * One debug line per named step with its duration, so a log query for one step (`step: "upload"`)
 * shows where the time of a request or task went. The logger carries the request or task id.
 */
export function logSteps(logger: Pick<RenderLogger, 'debug'>, steps: readonly [name: string, ms: number][]): void {
  for (const [step, ms] of steps) logger.debug({ step, ms: Math.round(ms * 10) / 10 }, `step ${step}`);
}
