/**
 * Prometheus metrics of one farm process (`GET /metrics`). Counters and histograms are fed where
 * things happen (HTTP middleware, renders, tasks ending); gauges of the pool, the queue and
 * Chromium's memory are read when Prometheus scrapes, so they cost nothing in between.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ChartRenderer, RenderObserver, RenderResult } from '../renderer/chart-renderer.js';
import { treeMemory } from '../renderer/process-tree.js';
import type { RenderRequest } from '../renderer/render-request.js';
import { namedRenderSteps } from '../renderer/render-step-names.js';
import type { TaskQueue } from '../tasks/task-queue.js';
import type { TaskSteps } from '../tasks/task-steps.js';
import type { TaskRecord } from '../tasks/task.js';

/** What the scraped gauges read of the renderer. */
type ScrapedRenderer = Pick<ChartRenderer, 'stats' | 'fingerprint' | 'browserPids'>;

export interface FarmMetricsSources {
  renderer?: ScrapedRenderer;
  queue?: Pick<TaskQueue, 'counts' | 'oldestPendingCreatedAt' | 'workers'>;
  /** QUEUE_MAX_PENDING, exported so an alert can compare the queue's depth with it. */
  maxPending?: number;
}

export class FarmMetrics {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route'>;
  private readonly renderSteps: Histogram<'step'>;
  private readonly renders: Counter<'type' | 'outcome'>;
  private readonly rendersSettled: Counter<'settled_by'>;
  private readonly missingGlyphs: Counter;
  private readonly tasksEnded: Counter<'status'>;
  private readonly taskDuration: Histogram;

  constructor(private readonly sources: FarmMetricsSources = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'echarts_farm_node_' });
    this.httpRequests = new Counter({
      name: 'echarts_farm_http_requests_total',
      help: 'HTTP requests answered, by route and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'echarts_farm_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (streams: until the headers went out).',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.renderSteps = new Histogram({
      name: 'echarts_farm_render_step_seconds',
      help: 'Duration of each named step of a render (acquire, viewport, set_option, settle, capture, total) and of a task (queue_wait, upload).',
      labelNames: ['step'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.renders = new Counter({
      name: 'echarts_farm_renders_total',
      help: 'Renders by output type and outcome (ok, or the error reason).',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.rendersSettled = new Counter({
      name: 'echarts_farm_renders_settled_total',
      help: 'Renders by how they settled: finished (the chart said so and nothing was pending) or cap (only looping effects left at RENDER_FINISHED_WAIT_MS).',
      labelNames: ['settled_by'],
      registers,
    });
    this.missingGlyphs = new Counter({
      name: 'echarts_farm_missing_glyphs_total',
      help: 'Renders whose text had characters no font of the page draws (drawn as empty boxes unless strict).',
      registers,
    });
    this.tasksEnded = new Counter({
      name: 'echarts_farm_tasks_finished_total',
      help: 'Tasks that reached a final status in this process.',
      labelNames: ['status'],
      registers,
    });
    this.taskDuration = new Histogram({
      name: 'echarts_farm_task_duration_seconds',
      help: 'From a completed task’s start to its stored image.',
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.addScrapedGauges(registers);
  }

  /** Counts every render and times its steps: give it to `ChartRenderer.observeRenders`. */
  readonly renderObserver: RenderObserver = {
    rendered: (request, result) => this.observeRender(request, result),
    failed: (request, error) => {
      const reason = (error as { reason?: string }).reason ?? 'INTERNAL';
      if (reason === 'MISSING_GLYPHS') this.missingGlyphs.inc();
      this.renders.inc({ type: request.type, outcome: reason });
    },
  };

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, seconds);
  }

  observeTaskEnd(task: TaskRecord): void {
    this.tasksEnded.inc({ status: task.status });
    if (task.status === 'completed' && task.durationMs !== null) this.taskDuration.observe(task.durationMs / 1000);
  }

  /** The steps of a task attempt outside the render: its wait in the queue and its upload. */
  observeTaskSteps(steps: Pick<TaskSteps, 'queueWaitMs' | 'uploadMs'>): void {
    this.renderSteps.observe({ step: 'queue_wait' }, steps.queueWaitMs / 1000);
    this.renderSteps.observe({ step: 'upload' }, steps.uploadMs / 1000);
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private observeRender(request: RenderRequest, result: RenderResult): void {
    this.renders.inc({ type: request.type, outcome: 'ok' });
    this.rendersSettled.inc({ settled_by: result.settledBy });
    if (result.missingGlyphs.length > 0) this.missingGlyphs.inc();
    for (const [step, ms] of namedRenderSteps(result.steps)) this.renderSteps.observe({ step }, ms / 1000);
    this.renderSteps.observe({ step: 'total' }, result.steps.totalMs / 1000);
  }

  private addScrapedGauges(registers: Registry[]): void {
    const { renderer, queue, maxPending } = this.sources;
    if (renderer) {
      new Gauge({
        name: 'echarts_farm_pool',
        help: 'Page pool state: pages, busy, idle, waiting (renders waiting for a page), browsers connected.',
        labelNames: ['state'],
        registers,
        collect() {
          const stats = renderer.stats();
          for (const state of ['pages', 'busy', 'idle', 'waiting', 'connected'] as const) this.set({ state }, stats[state]);
        },
      });
      new Gauge({
        name: 'echarts_farm_pool_events',
        help: 'Pool events since start: page recycles, page crashes, browser crashes, browser launches, render timeouts, refused page requests.',
        labelNames: ['event'],
        registers,
        collect() {
          const stats = renderer.stats();
          for (const event of ['recycles', 'pageCrashes', 'crashes', 'launches', 'timeouts', 'refusedRequests', 'ratioReloads'] as const) this.set({ event }, stats[event]);
        },
      });
      new Gauge({
        name: 'echarts_farm_chromium_memory_bytes',
        help: 'Proportional set size (PSS) of the Chromium process trees, summed.',
        registers,
        collect() {
          this.set(renderer.browserPids().reduce((total, pid) => total + treeMemory(pid).pssBytes, 0));
        },
      });
    }
    if (queue) {
      new Gauge({
        name: 'echarts_farm_queue_tasks',
        help: 'Tasks in the queue by status (the whole queue, shared by every process on Redis).',
        labelNames: ['status'],
        registers,
        async collect() {
          const counts = await queue.counts();
          for (const status of ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const) this.set({ status }, counts[status]);
        },
      });
      new Gauge({
        name: 'echarts_farm_queue_oldest_pending_age_seconds',
        help: 'Age of the oldest pending task (0 when none is pending): how far the workers lag behind.',
        registers,
        async collect() {
          const createdAt = await queue.oldestPendingCreatedAt();
          this.set(createdAt === null ? 0 : Math.max(0, (Date.now() - Date.parse(createdAt)) / 1000));
        },
      });
      new Gauge({
        name: 'echarts_farm_workers_live',
        help: 'Workers whose heartbeat is within WORKER_LIVENESS_MS (the whole farm on Redis).',
        registers,
        async collect() {
          this.set((await queue.workers()).length);
        },
      });
      new Gauge({
        name: 'echarts_farm_workers_capacity',
        help: 'Tasks the live workers can run at once (the sum of their QUEUE_MAX_CONCURRENT).',
        registers,
        async collect() {
          this.set((await queue.workers()).reduce((total, worker) => total + worker.concurrency, 0));
        },
      });
    }
    if (maxPending !== undefined) {
      new Gauge({
        name: 'echarts_farm_queue_max_pending',
        help: 'QUEUE_MAX_PENDING: pending tasks beyond it are refused with QUEUE_FULL.',
        registers,
      }).set(maxPending);
    }
  }
}
