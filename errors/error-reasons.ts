/**
 * Every error `reason` with its family, HTTP status, whether a retry may succeed, and its meaning:
 * the one table every error constructor reads (errors/farm-error.ts) and the OpenAPI document lists.
 * A reason exists by having its row here.
 */

/** The three families of the HTTP contract. */
export type ErrorType = 'VALIDATION_ERROR' | 'PROCESSING_ERROR' | 'SYSTEM_ERROR';

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
  /** Whether the same request may succeed when tried again; a thrower may say otherwise for one case. */
  retryable: boolean;
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

const REASON_ROWS = {
  INVALID_OPTION: {
    type: 'VALIDATION_ERROR',
    status: 400,
    retryable: false,
    seenIn: 'both',
    meaning: '`option` is missing, is no object, or asks for something ECharts would leave out (an unknown series type).',
    exampleMessage: 'option is required',
    exampleDetails: { field: 'option' },
  },
  INVALID_REQUEST: {
    type: 'VALIDATION_ERROR',
    status: 400,
    retryable: false,
    seenIn: 'answer',
    meaning: 'a field is out of its bounds or of the wrong type; `details.issues` lists each field and its problem.',
    exampleMessage: 'width must be at most 8192',
    exampleDetails: { issues: [{ field: 'width', problem: 'must be at most 8192' }] },
  },
  INVALID_JSON: {
    type: 'VALIDATION_ERROR',
    status: 400,
    retryable: false,
    seenIn: 'answer',
    meaning: 'the body is empty or not valid JSON.',
    exampleMessage: 'the request body is not valid JSON: Unexpected end of JSON input',
  },
  FUNCTIONS_NOT_ALLOWED: {
    type: 'VALIDATION_ERROR',
    status: 400,
    retryable: false,
    seenIn: 'answer',
    meaning: 'the option is JavaScript source or holds function source, and the farm runs with ALLOW_FUNCTIONS off.',
    exampleMessage: 'option.tooltip.formatter holds JavaScript function source; functions are off (ALLOW_FUNCTIONS), so it would be drawn as text',
    exampleDetails: { field: 'option.tooltip.formatter' },
  },
  UNKNOWN_THEME: {
    type: 'VALIDATION_ERROR',
    status: 400,
    retryable: false,
    seenIn: 'both',
    meaning: '`theme` names no built-in theme and no file of THEMES_DIR.',
    exampleMessage: 'theme "neon" is not registered',
    exampleDetails: { field: 'theme' },
  },
  MAP_NOT_REGISTERED: {
    type: 'VALIDATION_ERROR',
    status: 400,
    retryable: false,
    seenIn: 'both',
    meaning: 'the option draws a map (a `geo` component or a `map` series) that is not registered: put its GeoJSON or SVG file in MAPS_DIR.',
    exampleMessage: 'option.series[0].map names map "atlantis", which is not registered; put atlantis.json in MAPS_DIR',
    exampleDetails: { field: 'option.series[0].map', map: 'atlantis', registered: ['world'] },
  },
  PAYLOAD_TOO_LARGE: {
    type: 'VALIDATION_ERROR',
    status: 413,
    retryable: false,
    seenIn: 'answer',
    meaning: 'the body is larger than MAX_BODY_BYTES.',
    exampleMessage: 'the request body is larger than 10485760 bytes (MAX_BODY_BYTES)',
    exampleDetails: { maxBytes: 10485760 },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    type: 'VALIDATION_ERROR',
    status: 415,
    retryable: false,
    seenIn: 'answer',
    meaning: 'the body is not `application/json` in UTF-8, or is compressed.',
    exampleMessage: 'Content-Type text/plain is not JSON; send the body as JSON with Content-Type: application/json',
    exampleDetails: { contentType: 'text/plain', accepts: 'application/json' },
  },
  RANGE_NOT_SATISFIABLE: {
    type: 'VALIDATION_ERROR',
    status: 416,
    retryable: false,
    seenIn: 'answer',
    meaning: 'the `Range` header asks for bytes the image does not have; `Content-Range` gives its size.',
    exampleMessage: 'cannot serve range bytes=5000- of 1200 bytes',
    exampleDetails: { field: 'Range', size: 1200 },
  },
  NOT_FOUND: {
    type: 'VALIDATION_ERROR',
    status: 404,
    retryable: false,
    seenIn: 'answer',
    meaning: 'no such task, no image for it (yet, or any more), or no such route.',
    exampleMessage: 'no task 7d1c3f0e-4b8a-4c55-9a1e-2f6b3c9d8e10',
    exampleDetails: { taskId: '7d1c3f0e-4b8a-4c55-9a1e-2f6b3c9d8e10' },
  },
  UNAUTHORIZED: {
    type: 'VALIDATION_ERROR',
    status: 401,
    retryable: false,
    seenIn: 'answer',
    meaning: 'the farm has API_KEYS or JWT_SECRET and the request brought no key, an unknown key, or a token that is not valid (signature, exp, sub).',
    exampleMessage: 'this farm needs an API key (X-API-Key or Authorization: Bearer)',
  },
  FORBIDDEN: {
    type: 'VALIDATION_ERROR',
    status: 403,
    retryable: false,
    seenIn: 'answer',
    meaning: 'the system views (pool, workers, storage, info, throughput) need the admin scope: `scope=admin` in API_KEYS_FILE, or `admin` in a token\'s `scope` claim.',
    exampleMessage: '/api/system/workers needs the admin scope (scope=admin in API_KEYS_FILE, or a token whose scope has admin)',
  },
  QUOTA_EXCEEDED: {
    type: 'VALIDATION_ERROR',
    status: 429,
    retryable: true,
    seenIn: 'answer',
    meaning: 'the owner already holds OWNER_MAX_PENDING pending tasks (or its own maxPending from API_KEYS_FILE); try again after `Retry-After`, when some have started.',
    exampleMessage: 'owner alice already has 100 pending tasks (OWNER_MAX_PENDING); try again in 5 s',
    exampleDetails: { retryAfterSeconds: 5, maxPending: 100 },
  },
  RATE_LIMITED: {
    type: 'VALIDATION_ERROR',
    status: 429,
    retryable: true,
    seenIn: 'answer',
    meaning: 'the owner of the key asked for more than RATE_LIMIT_PER_MINUTE charts within a minute (a batch counts each chart); try again after `Retry-After`.',
    exampleMessage: 'more than 60 requests a minute (RATE_LIMIT_PER_MINUTE); try again in 1 s',
    exampleDetails: { retryAfterSeconds: 1, limitPerMinute: 60 },
  },
  METHOD_NOT_ALLOWED: {
    type: 'VALIDATION_ERROR',
    status: 405,
    retryable: false,
    seenIn: 'answer',
    meaning: 'the path exists under other methods, listed in `Allow` and `details.allowed`.',
    exampleMessage: 'PUT is not allowed on /api/charts/generate; allowed: POST',
    exampleDetails: { allowed: ['POST'] },
  },
  RENDER_TIMEOUT: {
    type: 'PROCESSING_ERROR',
    status: 504,
    retryable: false,
    seenIn: 'both',
    meaning: 'the chart did not finish drawing within RENDER_TIMEOUT_MS.',
    exampleMessage: 'the chart did not finish rendering within 30000 ms (RENDER_TIMEOUT_MS)',
  },
  RENDER_UNSETTLED: {
    type: 'PROCESSING_ERROR',
    status: 503,
    retryable: true,
    seenIn: 'both',
    meaning:
      'the chart was still drawing (progressive rendering, images, layers) when RENDER_FINISHED_WAIT_MS ran out; ' +
      'nothing was captured. Retryable: it usually settles on a less loaded host.',
    exampleMessage: 'the chart was still drawing after 5000 ms (RENDER_FINISHED_WAIT_MS): still waiting for progressive rendering',
  },
  RENDER_FAILED: {
    type: 'PROCESSING_ERROR',
    status: 422,
    retryable: false,
    seenIn: 'both',
    meaning: 'ECharts threw while drawing the option, or the option script failed.',
    exampleMessage: "ECharts could not draw the option: Cannot read properties of undefined (reading 'length')",
  },
  MISSING_GLYPHS: {
    type: 'PROCESSING_ERROR',
    status: 422,
    retryable: false,
    seenIn: 'both',
    meaning: 'with strictFonts (or RENDER_STRICT_FONTS) the chart has text that no font of the page draws; `details.missingGlyphs` lists the characters.',
    exampleMessage: "no font of the page draws 2 character(s) of the chart's text (ᱥ U+1C65, ᱟ U+1C5F); add a font with FONTS_DIR or turn strictFonts off",
    exampleDetails: { missingGlyphs: [{ char: 'ᱥ', codePoint: 'U+1C65', text: 'ᱥᱟᱱᱛᱟᱲᱤ' }] },
  },
  BROWSER_CRASHED: {
    type: 'SYSTEM_ERROR',
    status: 503,
    retryable: true,
    seenIn: 'both',
    meaning: 'the chart page or its browser died during the render; it was replaced, try again (tasks retry by themselves).',
    exampleMessage: 'the chart page failed during the render: Target closed',
  },
  POOL_EXHAUSTED: {
    type: 'SYSTEM_ERROR',
    status: 503,
    retryable: true,
    seenIn: 'both',
    meaning: 'no chart page became free within POOL_ACQUIRE_TIMEOUT_MS; try again later or queue a task.',
    exampleMessage: 'no chart page became free within 30000 ms',
  },
  POOL_CLOSED: {
    type: 'SYSTEM_ERROR',
    status: 503,
    retryable: false,
    seenIn: 'both',
    meaning: 'the renderer is shutting down.',
    exampleMessage: 'the renderer is shutting down',
  },
  NOT_READY: {
    type: 'SYSTEM_ERROR',
    status: 503,
    retryable: false,
    seenIn: 'answer',
    meaning: 'readiness failed: the canary chart did not render, or the queue does not answer.',
    exampleMessage: 'the canary render failed: the renderer is shutting down',
  },
  NOT_IMPLEMENTED: {
    type: 'SYSTEM_ERROR',
    status: 501,
    retryable: false,
    seenIn: 'answer',
    meaning: 'this instance lacks the part the request needs: an `api` instance has no renderer (no `async=false`), a render-only one no queue.',
    exampleMessage: 'this instance is an API without a renderer (echarts-farm api): queue a task instead of async=false',
    exampleDetails: { field: 'async' },
  },
  IDEMPOTENCY_CONFLICT: {
    type: 'VALIDATION_ERROR',
    status: 422,
    retryable: false,
    seenIn: 'answer',
    meaning: 'the Idempotency-Key (or idempotencyKey) was used before for a different request; use a new key for a new chart.',
    exampleMessage: 'Idempotency-Key report-2024-05 was used for task 5f0c6d2e-8a1b-4c3d-9e2f-0a1b2c3d4e5f with a different request (option, size or type); use a new key for a new chart',
    exampleDetails: { field: 'Idempotency-Key', taskId: '5f0c6d2e-8a1b-4c3d-9e2f-0a1b2c3d4e5f', differs: ['render'] },
  },
  QUEUE_FULL: {
    type: 'SYSTEM_ERROR',
    status: 503,
    retryable: true,
    seenIn: 'answer',
    meaning: 'more than QUEUE_MAX_PENDING tasks wait; come back after `Retry-After` seconds.',
    exampleMessage: 'more than 10000 tasks are waiting (QUEUE_MAX_PENDING); try again shortly',
    exampleDetails: { maxPending: 10000, retryAfterSeconds: 5 },
  },
  TASK_TIMEOUT: {
    type: 'PROCESSING_ERROR',
    status: 504,
    retryable: false,
    seenIn: 'task',
    meaning: 'the task ran longer than QUEUE_TASK_TIMEOUT seconds (not retried: the same chart would run as long).',
    exampleMessage: 'the task ran longer than 300 s (QUEUE_TASK_TIMEOUT)',
  },
  CANCELLED: {
    type: 'PROCESSING_ERROR',
    status: 409,
    retryable: false,
    seenIn: 'task',
    meaning: 'the task was cancelled with DELETE /api/charts/tasks/{taskId}.',
    exampleMessage: 'the task was cancelled',
  },
  UPLOAD_FAILED: {
    type: 'SYSTEM_ERROR',
    status: 503,
    retryable: true,
    seenIn: 'task',
    meaning: 'the image could not be stored; retried QUEUE_RETRY_ATTEMPTS times.',
    exampleMessage: 'storing the image failed: connect ECONNREFUSED',
  },
  STORAGE_UNAVAILABLE: {
    type: 'SYSTEM_ERROR',
    status: 503,
    retryable: true,
    seenIn: 'answer',
    meaning: 'the task has an image, but the object store failed to hand it over (unreachable, refused, disk error); try again after `Retry-After` when it is sent.',
    exampleMessage: 'reading the image of task 9b2f… failed: S3 did not answer after 3 attempt(s)',
    exampleDetails: { taskId: '9b2f6c1e-2d1a-4c43-9d55-2f0a8e1b7c11', retryAfterSeconds: 5 },
  },
  QUEUE_UNAVAILABLE: {
    type: 'SYSTEM_ERROR',
    status: 503,
    retryable: true,
    seenIn: 'answer',
    meaning: 'the task queue (Redis) does not answer; nothing was queued or changed. Send the same request again after `Retry-After`: the farm resumes by itself when Redis returns.',
    exampleMessage: 'the task queue (Redis) does not answer; try again in 2 s',
    exampleDetails: { retryAfterSeconds: 2 },
  },
  SHUTTING_DOWN: {
    type: 'SYSTEM_ERROR',
    status: 503,
    retryable: true,
    seenIn: 'answer',
    meaning: 'this instance is stopping and takes no new tasks; send them to another one after `Retry-After`.',
    exampleMessage: 'the farm is shutting down and takes no new tasks; send it to another instance',
    exampleDetails: { retryAfterSeconds: 5 },
  },
  OVERLOADED: {
    type: 'SYSTEM_ERROR',
    status: 503,
    retryable: true,
    seenIn: 'answer',
    meaning: 'this instance is short of memory (ADMISSION_MIN_FREE_MEMORY_MB) and renders nothing in the request now; queue the chart, or send it to another instance or again after `Retry-After`.',
    exampleMessage: 'this instance has 410 MiB of memory available, below ADMISSION_MIN_FREE_MEMORY_MB=512; try again later or queue the chart',
    exampleDetails: { retryAfterSeconds: 5, availableMemoryMb: 410, minFreeMemoryMb: 512 },
  },
  WORKER_LOST: {
    type: 'SYSTEM_ERROR',
    status: 503,
    retryable: true,
    seenIn: 'task',
    meaning: 'the task stopped its worker too often (Redis queue); it is given up instead of killing more workers.',
    exampleMessage: 'the task stopped its worker too often (job stalled more than allowable limit)',
  },
  INTERNAL: {
    type: 'SYSTEM_ERROR',
    status: 500,
    retryable: true,
    seenIn: 'both',
    meaning: 'a failure nobody anticipated; quote `details.requestId` when reporting it.',
    exampleMessage: 'internal error while answering request 5b0e…; quote this id when reporting it',
    exampleDetails: { requestId: '5b0e2a57-4f0c-4d6b-a5a3-0e4b2b1f6c11' },
  },
} as const satisfies Record<string, ReasonDoc>;

/** Stable machine codes clients may branch on: the keys of the table. */
export type ErrorReason = keyof typeof REASON_ROWS;

/** The reasons of one family, so a family's constructor takes only its own. */
export type ReasonOf<T extends ErrorType> = { [R in ErrorReason]: (typeof REASON_ROWS)[R]['type'] extends T ? R : never }[ErrorReason];

/** Every reason, documented. */
export const ERROR_REASON_DOCS: Readonly<Record<ErrorReason, ReasonDoc>> = REASON_ROWS;

/** Every reason, in the order above. */
export const ERROR_REASONS = Object.keys(ERROR_REASON_DOCS) as ErrorReason[];

/** Every error family. */
export const ERROR_TYPES = Object.keys(ERROR_TYPE_DOCS) as ErrorType[];
