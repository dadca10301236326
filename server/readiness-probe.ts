/**
 * Readiness as the farm's clients would see it: a small built-in chart rendered through the real
 * pool. A success is kept for a few seconds, and probes that arrive while a canary is under way wait
 * for that one, so frequent probes cost the pool at most one small render per interval.
 */
import { isFarmError, systemError, type FarmError } from '../errors/farm-error.js';
import type { ChartRenderer } from '../renderer/chart-renderer.js';
import { parseRenderRequest } from '../renderer/render-request.js';

/** What a ready farm answers on `/readyz`. */
export interface Readiness {
  ready: true;
  /** True when the pool was too busy to draw the canary in time but kept finishing renders. */
  busy?: boolean;
  /** Hash of the render fingerprint that drew the canary. */
  fingerprint: string;
  /** How long the canary took, acquiring a page included. */
  renderMs: number;
}

/** How a `ReadinessProbe` keeps its results. */
export interface ReadinessProbeOptions {
  /**
   * How long a successful canary stands for the next probes.
   * @defaultValue 5000
   */
  cacheMs?: number;
  /**
   * Clock in milliseconds, so a test can step past `cacheMs` without waiting.
   * @defaultValue `performance.now()`
   */
  now?: () => number;
  /**
   * How long a probe waits for the canary. Past it, a pool that finished other renders meanwhile is
   * ready but busy; one that finished none is not ready.
   * @defaultValue 5000
   */
  deadlineMs?: number;
}

const CANARY = parseRenderRequest(
  {
    type: 'png',
    width: 200,
    height: 120,
    option: {
      xAxis: { type: 'category', data: ['a', 'b', 'c', 'd', 'e'] },
      yAxis: { type: 'value' },
      series: [{ type: 'line', data: [3, 7, 4, 8, 5] }],
    },
  },
  { allowFunctions: false },
);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Renders the canary chart on demand; `check` resolves when ready or throws NOT_READY. */
export class ReadinessProbe {
  private readonly cacheMs: number;
  private readonly now: () => number;
  private readonly deadlineMs: number;
  private lastSuccess: { readiness: Readiness; at: number } | undefined;
  private running: Promise<Readiness> | undefined;

  constructor(
    private readonly renderer: Pick<ChartRenderer, 'render' | 'stats' | 'fingerprint'>,
    options: ReadinessProbeOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 5_000;
    this.now = options.now ?? (() => performance.now());
    this.deadlineMs = options.deadlineMs ?? 5_000;
  }

  /** The latest success when it is recent enough, otherwise a fresh canary render. */
  check(): Promise<Readiness> {
    const last = this.lastSuccess;
    if (last && this.now() - last.at < this.cacheMs) return Promise.resolve(last.readiness);
    this.running ??= this.renderCanary().finally(() => {
      this.running = undefined;
    });
    return this.withinDeadline(this.running);
  }

  /** A saturated pool queues the canary behind real work: that is busy, not unready. */
  private async withinDeadline(canary: Promise<Readiness>): Promise<Readiness> {
    const rendersBefore = this.renderer.stats().renders;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), this.deadlineMs);
    });
    try {
      const outcome = await Promise.race([canary, deadline]);
      if (outcome !== 'deadline') return outcome;
    } finally {
      clearTimeout(timer);
    }
    if (this.renderer.stats().renders > rendersBefore) {
      return { ready: true, busy: true, fingerprint: this.renderer.fingerprint.hash, renderMs: this.deadlineMs };
    }
    throw notReady(systemError('POOL_EXHAUSTED', `the canary did not render within ${this.deadlineMs} ms and no other render finished`));
  }

  private async renderCanary(): Promise<Readiness> {
    let readiness: Readiness;
    try {
      const result = await this.renderer.render(CANARY);
      if (!result.bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
        throw new Error(`the canary render answered ${result.bytes.length} bytes that are no PNG`);
      }
      readiness = { ready: true, fingerprint: result.fingerprint.hash, renderMs: Math.round(result.steps.totalMs) };
    } catch (error) {
      throw notReady(error);
    }
    // Failures are not kept: the next probe tries again, so recovery shows at once.
    this.lastSuccess = { readiness, at: this.now() };
    return readiness;
  }
}

function notReady(cause: unknown): FarmError {
  const known = isFarmError(cause);
  return systemError('NOT_READY', `the canary render failed: ${known ? cause.message : 'internal error'}`, {
    details: { cause: known ? { type: cause.type, reason: cause.reason } : { reason: 'INTERNAL' } },
    cause,
  });
}
