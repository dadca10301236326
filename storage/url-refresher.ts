/**
 * Runs the signed-URL refresh passes on a timer. Every API instance runs one; the cache's locks
 * keep two instances from renewing the same URL.
 */
import type { RefreshPass, SignedUrlCache } from './signed-url-cache.js';

/** What a UrlRefresher renews and how often. */
export interface UrlRefresherOptions {
  cache: Pick<SignedUrlCache, 'refreshDue'>;
  /** Time between ticks; see `refreshIntervalMs`. */
  intervalMs: number;
  /**
   * Passes one tick may run while passes come back full, so a backlog clears without waiting a tick
   * per batch, and a huge one cannot hold the process.
   * @defaultValue 10
   */
  maxPassesPerTick?: number;
  /** Told of a pass that failed as a whole (the cache backend did not answer). */
  onError?: (error: unknown) => void;
}

/**
 * A tick interval that catches every URL well within its refresh window: a quarter of the window,
 * between 1 s and 60 s.
 */
export function refreshIntervalMs(refreshAheadSeconds: number): number {
  return Math.min(60_000, Math.max(1_000, (refreshAheadSeconds * 1000) / 4));
}

/** Calls `SignedUrlCache.refreshDue` on a timer; one per API process, owned by the composition root. */
export class UrlRefresher {
  private timer: NodeJS.Timeout | null = null;
  /** The tick running now: ticks never overlap, and `stop()` waits for it. */
  private running: Promise<void> | null = null;

  constructor(private readonly options: UrlRefresherOptions) {}

  /** Refreshes every `intervalMs`; the timer does not keep the process alive. */
  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs).unref();
  }

  /** One tick: passes until one is not full (at most `maxPassesPerTick`). Resolves to the passes run. */
  async tick(): Promise<RefreshPass[]> {
    if (this.running !== null) return [];
    const passes: RefreshPass[] = [];
    this.running = (async () => {
      try {
        for (let index = 0; index < (this.options.maxPassesPerTick ?? 10); index++) {
          const pass = await this.options.cache.refreshDue();
          passes.push(pass);
          if (!pass.more) break;
        }
      } catch (error) {
        this.options.onError?.(error);
      }
    })();
    await this.running;
    this.running = null;
    return passes;
  }

  /** Stops the timer and waits for a tick in progress. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
