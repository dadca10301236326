/**
 * Every error `reason` of the HTTP contract with its family, status and meaning. Keyed by the
 * `ErrorReason` union, so a reason added in errors/farm-error.ts does not compile until it is
 * documented here, and the OpenAPI document can never lag behind the errors the farm throws.
 */
import type { ErrorReason, ErrorType } from '../../errors/farm-error.js';

/** Where a client meets a reason. */
export type ReasonSeenIn =
  /** As the `error` of an HTTP answer. */
  | 'answer'
  /** Only as the `error` of a task (status `failed` or `cancelled`). */
  | 'task'
  /** Both: a synchronous render answers it, a task records it. */
  | 'both';

/** What the document says about one reason. */
export interface ReasonDoc {
  type: ErrorType;
  /** The HTTP status it is answered with (a task's error carries no status). */
  status: number;
  seenIn: ReasonSeenIn;
  /** What happened and what the client should do, in one sentence. */
  meaning: string;
  /** A message as the farm writes it, for the examples. */
  exampleMessage: string;
  exampleDetails?: Record<string, unknown>;
}

/** The three families of errors, with when each happens. */
export const ERROR_TYPE_DOCS: Record<ErrorType, string> = {
  VALIDATION_ERROR: 'the request is wrong; sending it again unchanged can never succeed',
  PROCESSING_ERROR: 'the request was well formed but the chart could not be drawn',
  SYSTEM_ERROR: 'the farm failed or is busy; the same request may succeed later (see Retry-After)',
};

/** Every reason, documented. */
export const ERROR_REASON_DOCS: Record<ErrorReason, ReasonDoc> = {
  INVALID_OPTION: {
    type: 'VALIDATION_ERROR',
    status: 400,
    seenIn: 'both',
    meaning: '`option` is missing, is no object, or asks for something ECharts would leave out (an unknown series type).',
    exampleMessage: 'option is required',
    exampleDetails: { field: 'option' },
  },
  INVALID_REQUEST: {
    type: 'VALIDATION_ERROR',
    status: 400,
    seenIn: 'answer',
    meaning: 'a field is out of its bounds or of the wrong type; `details.issues` lists each field and its problem (416 for an unsatisfiable Range).',
    exampleMessage: 'width must be at most 8192',
    exampleDetails: { issues: [{ field: 'width', problem: 'must be at most 8192' }] },
  },
  INVALID_JSON: {
    type: 'VALIDATION_ERROR',
    status: 400,
    seenIn: 'answer',
    meaning: 'the body is empty or not valid JSON.',
    exampleMessage: 'the request body is not valid JSON: Unexpected end of JSON input',
  },
  FUNCTIONS_NOT_ALLOWED: {
    type: 'VALIDATION_ERROR',
    status: 400,
    seenIn: 'answer',
    meaning: 'the option is JavaScript source or holds function source, and the farm runs with ALLOW_FUNCTIONS off.',
    exampleMessage: 'option.tooltip.formatter holds JavaScript function source; functions are off (ALLOW_FUNCTIONS), so it would be drawn as text',
    exampleDetails: { field: 'option.tooltip.formatter' },
  },
  UNKNOWN_THEME: {
    type: 'VALIDATION_ERROR',
    status: 400,
    seenIn: 'both',
    meaning: '`theme` names no built-in theme and no file of THEMES_DIR.',
    exampleMessage: 'theme "neon" is not registered',
    exampleDetails: { field: 'theme' },
  },
  PAYLOAD_TOO_LARGE: {
    type: 'VALIDATION_ERROR',
    status: 413,
    seenIn: 'answer',
    meaning: 'the body is larger than MAX_BODY_BYTES.',
    exampleMessage: 'the request body is larger than 10485760 bytes (MAX_BODY_BYTES)',
    exampleDetails: { maxBytes: 10485760 },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    type: 'VALIDATION_ERROR',
    status: 415,
    seenIn: 'answer',
    meaning: 'the body is not `application/json` in UTF-8, or is compressed.',
    exampleMessage: 'Content-Type text/plain is not JSON; send the body as JSON with Content-Type: application/json',
    exampleDetails: { contentType: 'text/plain', accepts: 'application/json' },
  },
  NOT_FOUND: {
    type: 'VALIDATION_ERROR',
    status: 404,
    seenIn: 'answer',
    meaning: 'no such task, no image for it (yet, or any more), or no such route.',
    exampleMessage: 'no task 7d1c3f0e-4b8a-4c55-9a1e-2f6b3c9d8e10',
    exampleDetails: { taskId: '7d1c3f0e-4b8a-4c55-9a1e-2f6b3c9d8e10' },
  },
  UNAUTHORIZED: {
    type: 'VALIDATION_ERROR',
    status: 401,
    seenIn: 'answer',
    meaning: 'the farm has API_KEYS or JWT_SECRET and the request brought no key, an unknown key, or a token that is not valid (signature, exp, sub).',
    exampleMessage: 'this farm needs an API key (X-API-Key or Authorization: Bearer)',
  },
  RATE_LIMITED: {
    type: 'VALIDATION_ERROR',
    status: 429,
    seenIn: 'answer',
    meaning: 'the owner of the key made more than RATE_LIMIT_PER_MINUTE requests that create work within a minute; try again after `Retry-After`.',
    exampleMessage: 'more than 60 requests a minute (RATE_LIMIT_PER_MINUTE); try again in 1 s',
    exampleDetails: { retryAfterSeconds: 1, limitPerMinute: 60 },
  },
  METHOD_NOT_ALLOWED: {
    type: 'VALIDATION_ERROR',
    status: 405,
    seenIn: 'answer',
    meaning: 'the path exists under other methods, listed in `Allow` and `details.allowed`.',
    exampleMessage: 'PUT is not allowed on /api/charts/generate; allowed: POST',
    exampleDetails: { allowed: ['POST'] },
  },
  RENDER_TIMEOUT: {
    type: 'PROCESSING_ERROR',
    status: 504,
    seenIn: 'both',
    meaning: 'the chart did not finish drawing within RENDER_TIMEOUT_MS.',
    exampleMessage: 'the chart did not finish rendering within 30000 ms (RENDER_TIMEOUT_MS)',
  },
  RENDER_FAILED: {
    type: 'PROCESSING_ERROR',
    status: 422,
    seenIn: 'both',
    meaning: 'ECharts threw while drawing the option, or the option script failed.',
    exampleMessage: "ECharts could not draw the option: Cannot read properties of undefined (reading 'length')",
  },
  BROWSER_CRASHED: {
    type: 'SYSTEM_ERROR',
    status: 503,
    seenIn: 'both',
    meaning: 'the chart page or its browser died during the render; it was replaced, try again (tasks retry by themselves).',
    exampleMessage: 'the chart page failed during the render: Target closed',
  },
  POOL_EXHAUSTED: {
    type: 'SYSTEM_ERROR',
    status: 503,
    seenIn: 'both',
    meaning: 'no chart page became free within POOL_ACQUIRE_TIMEOUT_MS; try again later or queue a task.',
    exampleMessage: 'no chart page became free within 30000 ms',
  },
  POOL_CLOSED: {
    type: 'SYSTEM_ERROR',
    status: 503,
    seenIn: 'both',
    meaning: 'the renderer is shutting down.',
    exampleMessage: 'the renderer is shutting down',
  },
  NOT_READY: {
    type: 'SYSTEM_ERROR',
    status: 503,
    seenIn: 'answer',
    meaning: 'readiness failed: the canary chart did not render, or the queue does not answer.',
    exampleMessage: 'the canary render failed: the renderer is shutting down',
  },
  NOT_IMPLEMENTED: {
    type: 'SYSTEM_ERROR',
    status: 501,
    seenIn: 'answer',
    meaning: 'this instance lacks the part the request needs: an `api` instance has no renderer (no `async=false`), a render-only one no queue.',
    exampleMessage: 'this instance is an API without a renderer (echarts-farm api): queue a task instead of async=false',
    exampleDetails: { field: 'async' },
  },
  QUEUE_FULL: {
    type: 'SYSTEM_ERROR',
    status: 503,
    seenIn: 'answer',
    meaning: 'more than QUEUE_MAX_PENDING tasks wait; come back after `Retry-After` seconds.',
    exampleMessage: 'more than 10000 tasks are waiting (QUEUE_MAX_PENDING); try again shortly',
    exampleDetails: { maxPending: 10000, retryAfterSeconds: 5 },
  },
  TASK_TIMEOUT: {
    type: 'PROCESSING_ERROR',
    status: 504,
    seenIn: 'task',
    meaning: 'the task ran longer than QUEUE_TASK_TIMEOUT seconds (not retried: the same chart would run as long).',
    exampleMessage: 'the task ran longer than 300 s (QUEUE_TASK_TIMEOUT)',
  },
  CANCELLED: {
    type: 'PROCESSING_ERROR',
    status: 409,
    seenIn: 'task',
    meaning: 'the task was cancelled with DELETE /api/charts/tasks/{taskId}.',
    exampleMessage: 'the task was cancelled',
  },
  UPLOAD_FAILED: {
    type: 'SYSTEM_ERROR',
    status: 503,
    seenIn: 'task',
    meaning: 'the image could not be stored; retried QUEUE_RETRY_ATTEMPTS times.',
    exampleMessage: 'storing the image failed: connect ECONNREFUSED',
  },
  STORAGE_UNAVAILABLE: {
    type: 'SYSTEM_ERROR',
    status: 503,
    seenIn: 'answer',
    meaning: 'the task has an image, but the object store failed to hand it over (unreachable, refused, disk error); try again after `Retry-After` when it is sent.',
    exampleMessage: 'reading the image of task 9b2f… failed: S3 did not answer after 3 attempt(s)',
    exampleDetails: { taskId: '9b2f6c1e-2d1a-4c43-9d55-2f0a8e1b7c11', retryAfterSeconds: 5 },
  },
  QUEUE_UNAVAILABLE: {
    type: 'SYSTEM_ERROR',
    status: 503,
    seenIn: 'answer',
    meaning: 'the task queue (Redis) does not answer; nothing was queued or changed. Send the same request again after `Retry-After`: the farm resumes by itself when Redis returns.',
    exampleMessage: 'the task queue (Redis) does not answer; try again in 2 s',
    exampleDetails: { retryAfterSeconds: 2 },
  },
  SHUTTING_DOWN: {
    type: 'SYSTEM_ERROR',
    status: 503,
    seenIn: 'answer',
    meaning: 'this instance is stopping and takes no new tasks; send them to another one after `Retry-After`.',
    exampleMessage: 'the farm is shutting down and takes no new tasks; send it to another instance',
    exampleDetails: { retryAfterSeconds: 5 },
  },
  WORKER_LOST: {
    type: 'SYSTEM_ERROR',
    status: 503,
    seenIn: 'task',
    meaning: 'the task stopped its worker too often (Redis queue); it is given up instead of killing more workers.',
    exampleMessage: 'the task stopped its worker too often (job stalled more than allowable limit)',
  },
  INTERNAL: {
    type: 'SYSTEM_ERROR',
    status: 500,
    seenIn: 'both',
    meaning: 'a failure nobody anticipated; quote `details.requestId` when reporting it.',
    exampleMessage: 'internal error while answering request 5b0e…; quote this id when reporting it',
    exampleDetails: { requestId: '5b0e2a57-4f0c-4d6b-a5a3-0e4b2b1f6c11' },
  },
};

/** Every reason, in the order above. */
export const ERROR_REASONS = Object.keys(ERROR_REASON_DOCS) as ErrorReason[];

/** Every error family. */
export const ERROR_TYPES = Object.keys(ERROR_TYPE_DOCS) as ErrorType[];
