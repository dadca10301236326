/**
 * What the HTTP app is built from, and the per-request state its middleware share. Routes see the
 * renderer only through this narrow slice, so a test or another role can hand in its own.
 */
import type { ChartRateLimiter } from './auth/chart-rate-limiter.js';
import type Koa from 'koa';
import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { Config } from '../config/settings.js';
import type { ChartRenderer } from '../renderer/chart-renderer.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { ImageLinks } from './image-links.js';
import type { FarmMetrics } from '../ops/farm-metrics.js';
import type { ReadinessProbe } from '../ops/readiness-probe.js';
import type { RequestDrain } from './request-drain.js';
import type { TaskDeps } from './task-submission.js';
import type { ThroughputHistory } from '../ops/throughput-history.js';

/** The collaborators `createApp` wires together. */
export interface AppDeps {
  /** Absent in the `api` role: synchronous renders are then refused and readiness asks the queue. */
  renderer?: Pick<ChartRenderer, 'render' | 'stats' | 'fingerprint'>;
  config: Config;
  logger: Logger;
  /** The task system; without it only synchronous renders are served. */
  tasks?: TaskDeps;
  /** Where task images are read from for `GET /api/images/:taskId`. */
  store?: Pick<ObjectStore, 'get' | 'head' | 'publicUrl' | 'describe'>;
  /** The URLs `GET /api/images/:taskId/url` hands out (signed-URL cache included); default: public URL or the farm's own. */
  imageLinks?: ImageLinks;
  /** `/readyz` with a renderer; default: a canary probe with CANARY_DIR and CANARY_STRICT from `config`. */
  readiness?: Pick<ReadinessProbe, 'check'>;
  /** Prometheus metrics; without them there is no `/metrics` route. */
  metrics?: FarmMetrics;
  /** Refuses new work while the farm stops and counts requests in flight; absent: never drains. */
  drain?: RequestDrain;
  /** Tasks finished per bucket for `GET /api/system/throughput`; default: a history sampled only when asked. */
  throughput?: Pick<ThroughputHistory, 'snapshot'>;
  /** Where owners' chart counts are kept; default: in this process. With REDIS_URL, in Redis (shared by every API process). */
  rateLimiter?: ChartRateLimiter;
}

/** Per-request state, filled in by the middleware in the order they run. */
export interface FarmState {
  /** The caller's X-Request-Id when it was usable, otherwise a fresh UUID (middleware/request-id.ts). */
  requestId: string;
  /** The app's logger bound to this request's id. */
  logger: Logger;
  /** Whose tasks this request may see and make: set by middleware/authenticate.ts. */
  owner: string;
  /** True when the caller has the admin scope: every owner's tasks and the system views. */
  admin: boolean;
  /** Charges `charts` to the owner's rate limit (set by middleware/rate-limit.ts when one holds). */
  chargeCharts?: (charts: number) => Promise<void>;
  /** The parsed JSON body, set by middleware/json-body.ts on the routes that take one. */
  body?: unknown;
  /** What the route did in a few words (`png 600×400`), for the request's access log line. */
  summary?: string;
}

export type FarmContext = Koa.ParameterizedContext<FarmState>;
export type FarmMiddleware = Koa.Middleware<FarmState>;
/** The one router every route module adds its routes to, so 404 and 405 are decided in one place. */
export type FarmRouter = Router<FarmState>;
