/**
 * The timed steps of one task attempt beyond the render itself: how long it waited in the queue and
 * how long its upload took. Reported once per attempt to whoever logs and meters them.
 */
import type { RenderSteps } from '../renderer/chart-renderer.js';
import { namedRenderSteps } from '../renderer/render-step-names.js';
import type { TaskRecord } from './task.js';

export interface TaskSteps {
  /** From creation (or, for a retry, from the failed attempt before it) to this attempt's start. */
  queueWaitMs: number;
  /** Null when the result cache answered and nothing was rendered. */
  render: RenderSteps | null;
  uploadMs: number;
  /** How the render settled (`cap`: at RENDER_FINISHED_WAIT_MS); null when nothing was rendered. */
  settledBy: 'finished' | 'cap' | null;
}

/** Told the steps of every attempt that stored its image. */
export type TaskStepObserver = (task: TaskRecord, steps: TaskSteps) => void;

/** How long the attempt starting at `startedAtMs` waited for a worker. */
export function queueWaitMs(task: TaskRecord, startedAtMs: number): number {
  const queuedAt = task.attempts.at(-1)?.at ?? task.createdAt;
  return Math.max(0, startedAtMs - Date.parse(queuedAt));
}

/** `[name, milliseconds]` of every step in the order they happen: queue_wait, the render's steps, upload. */
export function namedTaskSteps(steps: TaskSteps): [string, number][] {
  return [['queue_wait', steps.queueWaitMs], ...(steps.render ? namedRenderSteps(steps.render) : []), ['upload', steps.uploadMs]];
}
