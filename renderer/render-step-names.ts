/**
 * The names of a render's timed steps, shared by logs and metrics so both speak of the same steps:
 * `acquire` (wait for a free page), `viewport` (size and pixel ratio), `set_option`, `settle`
 * (ECharts' `finished` and the last paint) and `capture` (encoding the image).
 */
import type { RenderSteps } from './chart-renderer.js';

export const RENDER_STEP_NAMES = {
  acquireMs: 'acquire',
  viewportMs: 'viewport',
  setOptionMs: 'set_option',
  settleMs: 'settle',
  captureMs: 'capture',
} as const satisfies Record<Exclude<keyof RenderSteps, 'totalMs'>, string>;

export type RenderStepName = (typeof RENDER_STEP_NAMES)[keyof typeof RENDER_STEP_NAMES];

/** `[name, milliseconds]` of each step, in the order they happen (the total not included). */
export function namedRenderSteps(steps: RenderSteps): [RenderStepName, number][] {
  return Object.entries(RENDER_STEP_NAMES).map(([key, name]) => [name, steps[key as keyof typeof RENDER_STEP_NAMES]]);
}
