/**
 * Readiness as the farm's clients would see it: a small built-in chart rendered through the real
 * pool. A success is kept for a few seconds, and probes that arrive while a canary is under way wait
 * for that one, so frequent probes cost the pool at most one small render per interval.
 *
 * With canary goldens, each canary is also compared with the golden of the current render
 * fingerprint: under one fingerprint its pixels must never change, so a difference is drift (a
 * font, a library or the machine changed underneath). Drift is answered and logged; with `strict`
 * the farm is not ready while it lasts.
 */
import type { Config } from '../config/settings.js';
import { isFarmError, systemError, type FarmError } from '../errors/farm-error.js';
import type { ChartRenderer, RenderResult } from '../renderer/chart-renderer.js';
import { compareImages, ImageSizeMismatchError } from '../renderer/image-compare.js';
import { parseRenderRequest } from '../renderer/render-request.js';
import { silentLogger, type RenderLogger } from '../renderer/render-logger.js';
import type { TaskQueue } from '../tasks/task-queue.js';
import { CanaryGoldens } from './canary-goldens.js';

/** How the canary compared with its golden. */
export interface CanaryCheck {
  /**
   * `match`: the golden's pixels; `new-golden`: the first canary under this fingerprint, kept as its
   * golden; `drift`: other pixels than the golden; `unchecked`: the golden could not be read or written.
   */
  status: 'match' | 'new-golden' | 'drift' | 'unchecked';
  /** The golden's file. */
  golden: string;
  differingPixels?: number;
  /** Share of the canary's pixels that differ, 0 to 1. */
  share?: number;
  /** Why the check is `unchecked`, or what drifted when the size changed. */
  message?: string;
}

/** What a ready farm answers on `/readyz`. */
export interface Readiness {
  ready: true;
  /** True when the pool was too busy to draw the canary in time but kept finishing renders. */
  busy?: boolean;
  /** Hash of the render fingerprint that drew the canary. */
  fingerprint: string;
  /** How long the canary took, acquiring a page included. */
  renderMs: number;
  /** The comparison with the golden, when the probe keeps goldens. */
  canary?: CanaryCheck;
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
  /** Compare every canary with its golden (CANARY_DIR); absent: the canary only has to render. */
  goldens?: CanaryGoldens;
  /**
   * Not ready while the canary drifts from its golden (CANARY_STRICT).
   * @defaultValue false
   */
  strict?: boolean;
  /** Where drift and recovery are logged. */
  logger?: RenderLogger;
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
  private readonly goldens: CanaryGoldens | undefined;
  private readonly strict: boolean;
  private readonly logger: RenderLogger;
  /** The status of the last comparison, so only changes are logged (probes come every few seconds). */
  private lastCanaryStatus: CanaryCheck['status'] | undefined;

  constructor(
    private readonly renderer: Pick<ChartRenderer, 'render' | 'stats' | 'fingerprint'>,
    options: ReadinessProbeOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 5_000;
    this.now = options.now ?? (() => performance.now());
    this.deadlineMs = options.deadlineMs ?? 5_000;
    this.goldens = options.goldens;
    this.strict = options.strict ?? false;
    this.logger = options.logger ?? silentLogger;
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
    let result: RenderResult;
    try {
      result = await this.renderer.render(CANARY);
      if (!result.bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
        throw new Error(`the canary render answered ${result.bytes.length} bytes that are no PNG`);
      }
    } catch (error) {
      throw notReady(error);
    }
    const readiness: Readiness = { ready: true, fingerprint: result.fingerprint.hash, renderMs: Math.round(result.steps.totalMs) };
    if (this.goldens) {
      readiness.canary = await this.compareWithGolden(this.goldens, result);
      this.report(readiness.canary, readiness.fingerprint);
      if (readiness.canary.status === 'drift' && this.strict) throw driftError(readiness.canary, readiness.fingerprint);
    }
    // Failures are not kept: the next probe tries again, so recovery shows at once.
    this.lastSuccess = { readiness, at: this.now() };
    return readiness;
  }

  private async compareWithGolden(goldens: CanaryGoldens, result: RenderResult): Promise<CanaryCheck> {
    const fingerprint = result.fingerprint.hash;
    const golden = goldens.pathOf(fingerprint);
    try {
      let expected = await goldens.read(fingerprint);
      if (!expected) {
        const adopted = await goldens.adopt(fingerprint, result.bytes);
        if (adopted.created) return { status: 'new-golden', golden, differingPixels: 0, share: 0 };
        expected = adopted.golden;
      }
      const comparison = compareImages(expected, result.bytes, { diffImage: false });
      const figures = { golden, differingPixels: comparison.differingPixels, share: comparison.share };
      return { status: comparison.differingPixels === 0 ? 'match' : 'drift', ...figures };
    } catch (error) {
      if (error instanceof ImageSizeMismatchError) {
        return { status: 'drift', golden, share: 1, message: error.message };
      }
      // A golden that cannot be kept says nothing about the renderer: report it, stay ready.
      return { status: 'unchecked', golden, message: (error as Error).message };
    }
  }

  /** Logs the first comparison and every change, not each probe's repetition of the same. */
  private report(canary: CanaryCheck, fingerprint: string): void {
    if (canary.status === this.lastCanaryStatus) return;
    this.lastCanaryStatus = canary.status;
    const fields = { fingerprint, ...canary };
    switch (canary.status) {
      case 'drift':
        this.logger.error(fields, `the canary drifted from its golden under fingerprint ${fingerprint}${this.strict ? '; not ready (CANARY_STRICT)' : ''}`);
        break;
      case 'unchecked':
        this.logger.warn(fields, 'the canary could not be compared with its golden');
        break;
      case 'new-golden':
        this.logger.info(fields, `first canary under fingerprint ${fingerprint}: kept as its golden`);
        break;
      case 'match':
        this.logger.info(fields, 'the canary matches its golden');
        break;
    }
  }
}

function driftError(canary: CanaryCheck, fingerprint: string): FarmError {
  const how = canary.message ?? `${canary.differingPixels} pixels (${((canary.share ?? 0) * 100).toFixed(3)}%) differ`;
  return systemError('NOT_READY', `the canary drifted from its golden under fingerprint ${fingerprint}: ${how} (CANARY_STRICT)`, {
    details: { cause: { reason: 'CANARY_DRIFT' }, canary },
  });
}

function notReady(cause: unknown): FarmError {
  const known = isFarmError(cause);
  return systemError('NOT_READY', `the canary render failed: ${known ? cause.message : 'internal error'}`, {
    details: { cause: known ? { type: cause.type, reason: cause.reason } : { reason: 'INTERNAL' } },
    cause,
  });
}

/**
 * The probe of a farm process: canary goldens in CANARY_DIR, not ready on drift when CANARY_STRICT
 * says so, drift logged on `logger`.
 */
export function configuredReadinessProbe(
  renderer: Pick<ChartRenderer, 'render' | 'stats' | 'fingerprint'>,
  config: Pick<Config, 'canaryDir' | 'canaryStrict'>,
  logger?: RenderLogger,
): ReadinessProbe {
  return new ReadinessProbe(renderer, { goldens: new CanaryGoldens(config.canaryDir), strict: config.canaryStrict, logger });
}

/** The queue as readiness sees it. */
export type QueueForReadiness = Pick<TaskQueue, 'backend' | 'counts'>;

/** Ready means the task queue answers too: throws NOT_READY (naming QUEUE_UNAVAILABLE) when it does not. */
export async function checkQueueAnswers(queue: QueueForReadiness): Promise<void> {
  try {
    await queue.counts();
  } catch (error) {
    const known = isFarmError(error);
    throw systemError('NOT_READY', `the task queue does not answer${known ? `: ${error.message}` : ''}`, {
      details: { cause: known ? { type: error.type, reason: error.reason } : { reason: 'INTERNAL' } },
      cause: error,
    });
  }
}

/**
 * `probe` that is ready only while `queue` answers as well; the queue is asked first (it answers
 * within about a second during an outage), then the canary renders.
 */
export function withQueueCheck<T extends object>(probe: { check(): Promise<T> }, queue: QueueForReadiness | undefined): { check(): Promise<T & { queue?: string }> } {
  return {
    async check() {
      if (!queue) return probe.check();
      await checkQueueAnswers(queue);
      return { ...(await probe.check()), queue: queue.backend };
    },
  };
}
