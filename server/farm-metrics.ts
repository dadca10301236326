/**
 * Prometheus metrics of one farm process (`GET /metrics`). Counters and histograms are fed where
 * things happen (HTTP middleware, renders, tasks ending); gauges of the pool, the queue and
 * Chromium's memory are read when Prometheus scrapes, so they cost nothing in between.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ChartRenderer, RenderResult, RenderSteps } from '../renderer/chart-renderer.js';
import { treeMemory } from '../renderer/process-tree.js';
import type { RenderRequest } from '../renderer/render-request.js';
import type { TaskQueue } from '../tasks/task-queue.js';
import type { TaskRecord } from '../tasks/task.js';

type MeteredRenderer = Pick<ChartRenderer, 'render' | 'stats' | 'fingerprint' | 'browserPids'>;

const STEP_NAMES: Record<Exclude<keyof RenderSteps, 'totalMs'>, string> = {
  acquireMs: 'acquire',
  viewportMs: 'viewport',
  setOptionMs: 'set_option',
  settleMs: 'settle',
  captureMs: 'capture',
};

export interface FarmMetricsSources {
  renderer?: MeteredRenderer;
  queue?: Pick<TaskQueue, 'counts'>;
}

export class FarmMetrics {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route'>;
  private readonly renderSteps: Histogram<'step'>;
  private readonly renders: Counter<'type' | 'outcome'>;
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
      help: 'Duration of each named step of a render (acquire, viewport, set_option, settle, capture, total).',
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

  /** The renderer, with every render counted and its steps timed. */
  meter<R extends MeteredRenderer>(renderer: R): R {
    const record = (request: RenderRequest, result: RenderResult): void => this.observeRender(request, result);
    const counted = this.renders;
    return new Proxy(renderer, {
      get(target, property, receiver) {
        if (property !== 'render') return Reflect.get(target, property, receiver);
        return async (request: RenderRequest) => {
          try {
            const result = await target.render(request);
            record(request, result);
            return result;
          } catch (error) {
            const reason = (error as { reason?: string }).reason ?? 'INTERNAL';
            counted.inc({ type: request.type, outcome: reason });
            throw error;
          }
        };
      },
    });
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, seconds);
  }

  observeTaskEnd(task: TaskRecord): void {
    this.tasksEnded.inc({ status: task.status });
    if (task.status === 'completed' && task.durationMs !== null) this.taskDuration.observe(task.durationMs / 1000);
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private observeRender(request: RenderRequest, result: RenderResult): void {
    this.renders.inc({ type: request.type, outcome: 'ok' });
    for (const [key, step] of Object.entries(STEP_NAMES)) {
      this.renderSteps.observe({ step }, result.steps[key as keyof typeof STEP_NAMES] / 1000);
    }
    this.renderSteps.observe({ step: 'total' }, result.steps.totalMs / 1000);
  }

  private addScrapedGauges(registers: Registry[]): void {
    const { renderer, queue } = this.sources;
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
    }
  }
}
