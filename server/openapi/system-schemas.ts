/**
 * The answers of the health and system routes as zod schemas, each checked against the type its
 * route builds where one exists (the queue status is built in the route itself: the contract test
 * compares it with live answers instead). A `true satisfies Describes<…>` line that stops compiling
 * means a type changed: bring its schema here in line.
 */
import { z } from 'zod';
import type { PoolStats, RenderSteps } from '../../renderer/chart-renderer.js';
import type { RenderFingerprint } from '../../renderer/fingerprint.js';
import type { WorkerInfo } from '../../tasks/task-queue.js';
import type { CanaryCheck, Readiness } from '../../ops/readiness-probe.js';
import type { QueueReadiness } from '../routes/health.js';
import type { Describes } from './describes.js';

const count = (description: string) => z.int().min(0).meta({ description });

/** `GET /healthz`. */
export const healthSchema = z
  .object({
    status: z.literal('ok').meta({ description: 'The process answers.' }),
    queue: z
      .enum(['ok', 'unavailable'])
      .optional()
      .meta({ description: 'With a task queue: whether it answers. Liveness stays 200 either way: restarting the process would not bring Redis back.' }),
  })
  .meta({ id: 'Health', description: 'Liveness: the process answers; says nothing about the pool.' });

const canaryCheckSchema = z
  .object({
    status: z.enum(['match', 'new-golden', 'drift', 'unchecked']).meta({
      description: '`match`: the golden\'s pixels; `new-golden`: the first canary under this fingerprint, kept as its golden; `drift`: other pixels than the golden; `unchecked`: the golden could not be read or written.',
    }),
    golden: z.string().meta({ description: "The golden's file." }),
    differingPixels: z.int().min(0).optional(),
    share: z.number().min(0).max(1).optional().meta({ description: "Share of the canary's pixels that differ." }),
    message: z.string().optional().meta({ description: 'Why the check is `unchecked`, or what drifted when the size changed.' }),
  })
  .meta({ description: 'The canary compared with its golden for this fingerprint (CANARY_DIR); with CANARY_STRICT a drift makes the farm not ready.' });
true satisfies Describes<typeof canaryCheckSchema, CanaryCheck>;

const rendererReadinessSchema = z.object({
  ready: z.literal(true),
  busy: z.boolean().optional().meta({ description: 'True when the pool was too busy to draw the canary in time but kept finishing renders.' }),
  fingerprint: z.string().meta({ description: 'Hash of the render fingerprint that drew the canary.' }),
  renderMs: z.number().meta({ description: 'How long the canary took, acquiring a page included.' }),
  canary: canaryCheckSchema.optional(),
  queue: z.string().optional().meta({ description: 'With a task queue: the backend that answered before the canary was drawn (`memory` or `redis`).' }),
});
true satisfies Describes<typeof rendererReadinessSchema, Readiness & { queue?: string }>;

const queueReadinessSchema = z.object({
  ready: z.literal(true),
  queue: z.string().meta({ description: 'The queue backend that answered (`memory` or `redis`).' }),
});
true satisfies Describes<typeof queueReadinessSchema, QueueReadiness>;

/** `GET /readyz`. */
export const readinessSchema = z.union([rendererReadinessSchema, queueReadinessSchema]).meta({
  id: 'Readiness',
  description: 'A farm with a renderer is ready when a small canary chart renders; an API-only instance when its queue answers.',
});

/** The render fingerprint in full. */
export const fingerprintSchema = z
  .object({
    hash: z.string().meta({ description: 'Short hash of every field below; results are comparable only under one hash.' }),
    chromium: z.string().meta({ description: 'Chromium version.', examples: ['HeadlessChrome/156.0.0.0'] }),
    echarts: z.string().meta({ description: 'ECharts version.', examples: ['6.1.0'] }),
    fonts: z.string().meta({ description: 'Hash of the installed font files, `unknown` without fontconfig.' }),
    flags: z.array(z.string()).meta({ description: 'Chromium launch flags.' }),
    template: z.string().meta({ description: 'Hash of everything the chart page loads.' }),
  })
  .meta({ id: 'RenderFingerprint', description: 'Everything besides the request that decides the pixels.' });
true satisfies Describes<typeof fingerprintSchema, RenderFingerprint>;

/** `GET /api/system/pool`. */
export const poolStatsSchema = z
  .object({
    browsers: count('Chromium processes the pool keeps.'),
    connected: count('Of those, connected now.'),
    launches: count('Browser launches since start, replacements included.'),
    crashes: count('Browsers that died.'),
    pages: count('Chart pages (windows) open.'),
    busy: count('Pages rendering now.'),
    idle: count('Pages free now.'),
    waiting: count('Renders waiting for a page.'),
    renders: count('Renders since start.'),
    failures: count('Renders that failed.'),
    timeouts: count('Renders past RENDER_TIMEOUT_MS.'),
    recycles: count('Pages replaced after POOL_MAX_RENDERS_PER_PAGE renders or POOL_MAX_PAGE_HEAP_MB.'),
    pageCrashes: count('Pages that crashed or hung.'),
    refusedRequests: count('Requests for other origins a page refused (closed network).'),
    ratioReloads: count('Renders that reloaded their page for another pixel ratio because no idle page had it.'),
  })
  .meta({ id: 'PoolStats', description: 'State of the warm page pool of this instance.' });
true satisfies Describes<typeof poolStatsSchema, PoolStats>;

/** `GET /api/system/info`. */
export const systemInfoSchema = z
  .object({
    name: z.string().meta({ examples: ['echarts-farm'] }),
    version: z.string().meta({ description: 'Version of the farm.', examples: ['0.1.0'] }),
    node: z.string().meta({ description: 'Node.js version.', examples: ['v20.19.0'] }),
    role: z.enum(['serve', 'render', 'api']).meta({ description: '`serve`: API and worker; `api`: HTTP only; `render`: synchronous renders only.' }),
    queue: z.enum(['memory', 'redis']).nullable().meta({ description: 'The task queue backend, null without a task system.' }),
    fingerprint: fingerprintSchema.nullable().meta({ description: 'Null on an instance without a renderer.' }),
    pool: poolStatsSchema.nullable().meta({ description: 'Null on an instance without a renderer.' }),
    settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).meta({
      description: 'The settings that decide how this instance behaves, by env var (null: unset); secrets are left out and URL passwords redacted.',
    }),
  })
  .meta({ id: 'SystemInfo', description: 'Versions, role and render fingerprint of this instance.' });

/** `GET /api/system/queue-status`. */
export const queueStatusSchema = z
  .object({
    backend: z.enum(['memory', 'redis']),
    pendingTasks: count('Tasks waiting for a worker.'),
    processingTasks: count('Tasks being rendered.'),
    completedTasks: count('Completed tasks still recorded (see TASK_RETENTION_DAYS).'),
    failedTasks: count('Failed tasks still recorded.'),
    cancelledTasks: count('Cancelled tasks still recorded.'),
    totalProcessed: count('Tasks that reached a final state since the queue began.'),
    averageProcessingTime: z.number().min(0).meta({ description: 'Mean duration of a task, in seconds.' }),
    maxPending: z.int().meta({ description: 'QUEUE_MAX_PENDING: pending tasks beyond it are refused with QUEUE_FULL.' }),
    capacity: count('Tasks all live workers can run at once.'),
    workers: count('Live workers.'),
    accepting: z.boolean().meta({ description: 'False while this instance shuts down.' }),
  })
  .meta({ id: 'QueueStatus', description: 'Counts of the task queue and the capacity behind it (the admin scope).' });

/** `GET /api/system/queue-status` for a caller without the admin scope: its own tasks only. */
export const ownerQueueStatusSchema = z
  .object({
    backend: z.enum(['memory', 'redis']),
    owner: z.string().meta({ description: 'Whose tasks are counted: the caller.' }),
    pendingTasks: count("The caller's tasks waiting for a worker (counted up to 10000)."),
    processingTasks: count("The caller's tasks being rendered (counted up to 10000)."),
    accepting: z.boolean().meta({ description: 'False while this instance shuts down.' }),
  })
  .meta({ id: 'OwnerQueueStatus', description: "The caller's own part of the queue." });

const workerInfoSchema = z
  .object({
    workerId: z.string().meta({ examples: ['render-host-1:4242'] }),
    host: z.string(),
    pid: z.int(),
    concurrency: count('Tasks it runs at once (QUEUE_MAX_CONCURRENT).'),
    active: count('Tasks it runs now.'),
    processed: count('Tasks it finished.'),
    failed: count('Tasks that failed on it.'),
    startedAt: z.iso.datetime(),
    lastHeartbeat: z.iso.datetime().meta({ description: 'A worker silent for long is dropped from the list.' }),
  })
  .meta({ id: 'WorkerInfo', description: 'A live worker.' });
true satisfies Describes<typeof workerInfoSchema, WorkerInfo>;

/** `GET /api/system/workers`. */
export const workersSchema = z.object({ workers: z.array(workerInfoSchema) }).meta({ id: 'Workers', description: 'The live workers.' });

const stepsSchema = z
  .object({
    acquireMs: z.number(),
    viewportMs: z.number(),
    setOptionMs: z.number(),
    settleMs: z.number(),
    captureMs: z.number(),
    totalMs: z.number(),
  })
  .meta({ description: 'Milliseconds of each named step of the render (also in the Server-Timing header).' });
true satisfies Describes<typeof stepsSchema, RenderSteps>;

/** `POST /api/charts/generate` with `async=false&base64=true`. */
export const renderedDataUrlSchema = z
  .object({
    image: z.string().meta({ description: 'The image as a data URL.', examples: ['data:image/png;base64,iVBORw0KGgo…'] }),
    fingerprint: z.string().meta({ description: 'Render fingerprint hash.' }),
    steps: stepsSchema,
  })
  .meta({ id: 'RenderedDataUrl', description: 'A synchronous render answered in the envelope.' });
