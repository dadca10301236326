/**
 * The shapes the client sends and receives, declared here so that the package stands alone (no
 * dependency, no import outside client/). test/unit/client-types.test.ts holds them equal to the
 * farm's own declarations (the zod schema of a generate body, the TaskView the routes answer), so the
 * client cannot drift from the server it ships with.
 */

/** The three families of errors of the HTTP contract. */
export type ErrorType = 'VALIDATION_ERROR' | 'PROCESSING_ERROR' | 'SYSTEM_ERROR';

/** Stable machine codes of the farm's errors; a newer farm may send reasons this list lacks. */
export type ErrorReason =
  | 'INVALID_OPTION'
  | 'INVALID_REQUEST'
  | 'INVALID_JSON'
  | 'FUNCTIONS_NOT_ALLOWED'
  | 'UNKNOWN_THEME'
  | 'MAP_NOT_REGISTERED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RANGE_NOT_SATISFIABLE'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'METHOD_NOT_ALLOWED'
  | 'RENDER_TIMEOUT'
  | 'RENDER_UNSETTLED'
  | 'RENDER_FAILED'
  | 'MISSING_GLYPHS'
  | 'BROWSER_CRASHED'
  | 'POOL_EXHAUSTED'
  | 'POOL_CLOSED'
  | 'OVERLOADED'
  | 'NOT_READY'
  | 'NOT_IMPLEMENTED'
  | 'QUEUE_FULL'
  | 'QUEUE_UNAVAILABLE'
  | 'QUOTA_EXCEEDED'
  | 'IDEMPOTENCY_CONFLICT'
  | 'TASK_TIMEOUT'
  | 'CANCELLED'
  | 'UPLOAD_FAILED'
  | 'STORAGE_UNAVAILABLE'
  | 'SHUTTING_DOWN'
  | 'WORKER_LOST'
  | 'INTERNAL';

export type TaskStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';
export type TaskPriority = 'high' | 'normal' | 'low';

/** Why one attempt of a task failed. */
export interface AttemptError {
  attempt: number;
  type: ErrorType;
  reason: string;
  message: string;
  retryable: boolean;
  at: string;
}

/** A task as the farm reports it. */
export interface TaskView {
  taskId: string;
  status: TaskStatus;
  /** Absolute: resolved against the client's baseUrl. */
  statusUrl: string;
  /** Absolute: a public or signed storage URL, or the farm's own `/api/images/:taskId` under baseUrl. */
  imageUrl: string | null;
  /** ISO 8601 UTC; createdAt ≤ startedAt ≤ completedAt. */
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  /** The error that ended the task, when it failed or was cancelled. */
  error: AttemptError | null;
  /** Attempts after the first. */
  retryCount: number;
  /** The error of every failed attempt, oldest first. */
  attempts: AttemptError[];
  priority: TaskPriority;
  type: string;
  width: number;
  height: number;
  devicePixelRatio: number;
  fileName: string | null;
  contentType: string | null;
  bytes: number | null;
  durationMs: number | null;
  /** Hash of the render fingerprint of the page that drew the image. */
  fingerprint: string | null;
  /** True when the image is a copy of an identical earlier request's. */
  cached: boolean;
  idempotencyKey: string | null;
  /** The worker (`host:pid`) that holds or held the task. */
  workerId: string | null;
  /** Characters of the chart's text that no font of the page drew (empty boxes); empty when all were drawn. */
  missingGlyphs: MissingGlyph[];
}

/** A character no font of the page could draw, and the first text that holds it. */
export interface MissingGlyph {
  char: string;
  /** `U+1C65` */
  codePoint: string;
  text: string;
}

/**
 * A chart to render: the fields of `POST /api/charts/generate` (see /docs for bounds). `option` is an
 * ECharts option object, or JavaScript source declaring `var option` when the farm allows functions.
 * The mode (`async`, `base64`) is chosen by the method called, not by the spec.
 */
export interface ChartSpec {
  option: Record<string, unknown> | string;
  /** @defaultValue 'png' */
  type?: 'png' | 'jpeg' | 'webp' | 'svg' | 'pdf';
  /** CSS pixels, 1–8192. @defaultValue 600 */
  width?: number;
  /** CSS pixels, 1–8192. @defaultValue 400 */
  height?: number;
  /** 1–4. @defaultValue 1 */
  devicePixelRatio?: number;
  /** A CSS color or `transparent`. @defaultValue white, as a page shows */
  backgroundColor?: string;
  theme?: string;
  /** JPEG and WebP quality, 1–100. @defaultValue 90 */
  quality?: number;
  /** @defaultValue 'canvas' */
  renderer?: 'canvas' | 'svg' | 'ssr';
  /** Seed of Math.random during the render. @defaultValue 42 */
  seed?: number;
  /** The instant `Date` reads during the render (ISO 8601 with a zone). */
  frozenTime?: string;
  /** Fail with MISSING_GLYPHS when some text has characters no font draws. @defaultValue false */
  strictFonts?: boolean;
  /** Folder of the stored image below the storage prefix (task mode). */
  ossPath?: string;
  /** @defaultValue 'normal' */
  priority?: TaskPriority;
  /** A repeated key answers the first task instead of queueing a second one (task mode). */
  idempotencyKey?: string;
  /** Called when the task ends (task mode). */
  callbackUrl?: string;
}

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
  /**
   * Give up after this long, retries included, with FarmTimeoutError.
   * @defaultValue the client's `timeoutMs`
   */
  timeoutMs?: number;
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
