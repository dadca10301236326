/**
 * Tasks finished per time bucket over the last minutes (`GET /api/system/throughput`, the
 * dashboard). Sampled from the queue's own counts, so it counts what every worker of the queue
 * finished (on Redis: the whole farm), whether this process renders (`serve`) or not (`api`).
 * Started by the composition root, it samples at every bucket boundary; not started, it samples
 * only when asked, and a span nobody asked about lands in the bucket that began it.
 */
import type { QueueCounts, TaskQueue } from '../tasks/task-queue.js';

/** One bucket of the history. */
export interface ThroughputBucket {
  /** When the bucket began (ISO 8601); the first one begins when sampling began. */
  startedAt: string;
  /** Tasks that reached a final state in it: completed, failed or cancelled. */
  finished: number;
  /** How many more failed tasks the queue held at its end than at its start. */
  failed: number;
}

/** The history as the route answers it. */
export interface Throughput {
  bucketSeconds: number;
  /** Oldest first, at most `bucketCount`; the last one is the bucket under way. */
  buckets: ThroughputBucket[];
}

export interface ThroughputOptions {
  /** @defaultValue 10 000 (10 s) */
  bucketMs?: number;
  /** Buckets kept, the one under way included. @defaultValue 60 (10 minutes of 10 s) */
  bucketCount?: number;
  /** The clock, in ms since the epoch. @defaultValue Date.now */
  now?: () => number;
}

type Sample = Pick<QueueCounts, 'totalProcessed' | 'failed'>;

/** Counts at the start of the bucket under way. */
interface Baseline {
  startMs: number;
  sample: Sample;
}

/** A ring of finished-task counts per bucket, fed by samples of the queue's counts. */
export class ThroughputHistory {
  private readonly bucketMs: number;
  private readonly bucketCount: number;
  private readonly now: () => number;
  private readonly closed: ThroughputBucket[] = [];
  private baseline: Baseline | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly queue: Pick<TaskQueue, 'counts'>,
    options: ThroughputOptions = {},
  ) {
    this.bucketMs = options.bucketMs ?? 10_000;
    this.bucketCount = options.bucketCount ?? 60;
    this.now = options.now ?? Date.now;
  }

  /** Samples now and at every bucket boundary until `stop`. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.sampleQuietly();
    this.scheduleNext();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The closed buckets of the window and the one under way, counted up to now. */
  async snapshot(): Promise<Throughput> {
    const counts = await this.queue.counts();
    const nowMs = this.now();
    this.advance(counts, nowMs);
    const current = this.baseline!;
    const windowStart = nowMs - this.bucketCount * this.bucketMs;
    const closed = this.closed.filter((bucket) => Date.parse(bucket.startedAt) > windowStart);
    return { bucketSeconds: this.bucketMs / 1000, buckets: [...closed, bucketOf(current, counts)] };
  }

  /** Closes the bucket under way when `nowMs` is past its end, then starts the next one at `sample`. */
  private advance(sample: Sample, nowMs: number): void {
    const bucketStart = Math.floor(nowMs / this.bucketMs) * this.bucketMs;
    if (this.baseline && this.baseline.startMs >= bucketStart) return;
    if (this.baseline) {
      this.closed.push(bucketOf(this.baseline, sample));
      if (this.closed.length >= this.bucketCount) this.closed.splice(0, this.closed.length - (this.bucketCount - 1));
    }
    this.baseline = { startMs: this.baseline ? bucketStart : nowMs, sample: { totalProcessed: sample.totalProcessed, failed: sample.failed } };
  }

  /** A queue that does not answer leaves a gap: the next sample starts afresh. */
  private async sampleQuietly(): Promise<void> {
    try {
      this.advance(await this.queue.counts(), this.now());
    } catch {
      this.baseline = undefined;
    }
  }

  private scheduleNext(): void {
    if (!this.running) return;
    const nowMs = this.now();
    const nextBoundary = (Math.floor(nowMs / this.bucketMs) + 1) * this.bucketMs;
    // A few ms past the boundary, so the sample falls in the new bucket; unref: never holds the process.
    this.timer = setTimeout(() => void this.sampleQuietly().then(() => this.scheduleNext()), nextBoundary - nowMs + 5);
    this.timer.unref();
  }
}

function bucketOf(baseline: Baseline, end: Sample): ThroughputBucket {
  return {
    startedAt: new Date(baseline.startMs).toISOString(),
    // Retention and requeues shrink the counts: a bucket never goes below zero.
    finished: Math.max(0, end.totalProcessed - baseline.sample.totalProcessed),
    failed: Math.max(0, end.failed - baseline.sample.failed),
  };
}
