/**
 * The shapes the client sends and receives. They come from the farm's own declarations (the zod
 * schema that validates a generate body, the TaskView the routes answer), so the client cannot
 * drift from the server it ships with. Type-only imports: nothing of the server runs in a client.
 */
import type { z } from 'zod';
import type { generateBodySchema } from '../server/chart-requests.js';
import type { TaskStatus } from '../tasks/task.js';
import type { TaskView } from '../tasks/task-view.js';

export type { ErrorReason, ErrorType } from '../errors/farm-error.js';
export type { TaskStatus } from '../tasks/task.js';
export type { TaskView } from '../tasks/task-view.js';

type GenerateBody = z.input<typeof generateBodySchema>;

/**
 * A chart to render: the fields of `POST /api/charts/generate` (see /docs). `option` is an ECharts
 * option object, or JavaScript source declaring `var option` when the farm allows functions. The
 * mode (`async`, `base64`) is chosen by the method called, not by the spec.
 */
export type ChartSpec = Omit<GenerateBody, 'option' | 'async' | 'base64'> & {
  option: Record<string, unknown> | string;
};

/** A task as submit and batch answer it. */
export type SubmittedTask = TaskView & {
  /** True when an earlier task with the same idempotency key was returned instead of a new one. */
  existing: boolean;
};

/** One page of `list`. */
export interface TaskPage {
  /** Newest first. */
  tasks: TaskView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** The filter and paging of `list`. */
export interface ListOptions {
  status?: TaskStatus;
  /** Tasks per page, 1–200. @defaultValue 50 */
  limit?: number;
  cursor?: string;
}

/** An image as the farm answered it. */
export interface ChartImage {
  bytes: Uint8Array;
  /** `image/png`, `image/jpeg`, `image/webp`, `image/svg+xml` or `application/pdf`. */
  contentType: string;
  /** Hash of the render fingerprint that drew it; null where the answer does not say (stored images). */
  fingerprint: string | null;
  /** The render's timed steps (`Server-Timing`), when the answer has them. */
  serverTiming: string | null;
}

/** Options every call takes. */
export interface CallOptions {
  /** Aborts the call; it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options of `wait`. */
export interface WaitOptions extends CallOptions {
  /** Give up after this long with FarmWaitTimeoutError (the task goes on). @defaultValue no limit */
  timeoutMs?: number;
  /** `auto` follows the event stream and polls when it is unavailable or breaks. @defaultValue 'auto' */
  via?: 'auto' | 'events' | 'polling';
  /** Between two status requests when polling. @defaultValue 1000 */
  pollIntervalMs?: number;
  /** Called with every status seen, the final one included. */
  onStatus?: (task: TaskView) => void;
}
