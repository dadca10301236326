/**
 * Deletes task records and their images once they are older than TASK_RETENTION_DAYS, every
 * CLEANUP_INTERVAL_HOURS. The queue removes the records; this sweeper then deletes the objects, so
 * a failed object delete leaves an orphan file behind, never a task pointing at nothing.
 */
import type { ObjectStore } from '../storage/object-store.js';
import type { TaskQueue } from './task-queue.js';
import type { TaskRecord } from './task.js';
import type { FieldLogger } from './webhook-sender.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** setInterval fires at once for longer delays (over ~24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface RetentionSweeperOptions {
  /** Removes the records; each task owns its object (a cached result is a copy), so its object goes too. */
  queue: Pick<TaskQueue, 'expire'>;
  store: Pick<ObjectStore, 'delete'>;
  /** Tasks created longer ago than this are deleted (TASK_RETENTION_DAYS). */
  retentionDays: number;
  /** Time between sweeps (CLEANUP_INTERVAL_HOURS). */
  intervalHours: number;
  logger: FieldLogger;
  /**
   * Delay of the first sweep after `start()`: soon, yet after startup has settled.
   * @defaultValue 30000
   */
  firstSweepDelayMs?: number;
  /**
   * Object deletes run at once (they are network calls on OSS and S3).
   * @defaultValue 8
   */
  deleteConcurrency?: number;
  /** The clock, for tests. @defaultValue `() => new Date()` */
  now?: () => Date;
}

/** What one sweep removed. */
export interface SweepResult {
  tasks: number;
  objects: number;
}

/** Runs the retention sweep on a timer; one per process that owns the cleanup. */
export class RetentionSweeper {
  private readonly options: RetentionSweeperOptions;
  private readonly now: () => Date;
  private firstTimer: NodeJS.Timeout | null = null;
  private intervalTimer: NodeJS.Timeout | null = null;
  /** The sweep running now: a slow sweep is not overlapped by the next tick, and `stop()` waits for it. */
  private running: Promise<SweepResult> | null = null;

  constructor(options: RetentionSweeperOptions) {
    if (!(options.retentionDays > 0)) throw new RangeError(`retentionDays must be positive, got ${options.retentionDays}`);
    if (!(options.intervalHours > 0)) throw new RangeError(`intervalHours must be positive, got ${options.intervalHours}`);
    this.options = options;
    this.now = options.now ?? (() => new Date());
  }

  /** Expires the records older than the retention period and deletes their objects. */
  sweepOnce(): Promise<SweepResult> {
    this.running ??= this.sweep().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Sweeps shortly after now, then every `intervalHours`. The timers do not keep the process alive. */
  start(): void {
    if (this.firstTimer !== null || this.intervalTimer !== null) return;
    const tick = (): void => void this.sweepOnce().catch((error: unknown) => this.options.logger.error({ err: error }, 'retention sweep failed'));
    this.firstTimer = setTimeout(tick, this.options.firstSweepDelayMs ?? 30_000).unref();
    this.intervalTimer = setInterval(tick, Math.min(MAX_TIMER_MS, this.options.intervalHours * HOUR_MS)).unref();
  }

  /** Stops the timers and waits for a sweep in progress. */
  async stop(): Promise<void> {
    if (this.firstTimer !== null) clearTimeout(this.firstTimer);
    if (this.intervalTimer !== null) clearInterval(this.intervalTimer);
    this.firstTimer = null;
    this.intervalTimer = null;
    await this.running?.catch(() => undefined);
  }

  private async sweep(): Promise<SweepResult> {
    const started = Date.now();
    const cutoff = new Date(this.now().getTime() - this.options.retentionDays * DAY_MS);
    const expired = await this.options.queue.expire(cutoff);
    const keys = expired.flatMap((task) => (task.objectKey === null ? [] : [task.objectKey]));
    let objects = 0;
    await forEachLimited(keys, this.options.deleteConcurrency ?? 8, async (key) => {
      try {
        await this.options.store.delete(key);
        objects++;
      } catch (error) {
        this.options.logger.warn({ objectKey: key, err: error }, 'retention could not delete an object; it stays as an orphan');
      }
    });
    const result = { tasks: expired.length, objects };
    this.options.logger.info({ ...result, cutoff: cutoff.toISOString(), durationMs: Date.now() - started }, 'retention sweep done');
    return result;
  }
}

/** Runs `work` on every item, at most `limit` at a time. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, lane));
}
