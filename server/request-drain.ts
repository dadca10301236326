/**
 * What the HTTP listener does while the farm stops: it keeps answering. Requests already accepted
 * (a synchronous render rendering or waiting for a page) run to their end; new requests that would
 * create work, and readiness, are answered 503 SHUTTING_DOWN with Retry-After and `Connection:
 * close`, so load balancers and clients move on instead of meeting a refused connection.
 */
import { systemError } from '../errors/farm-error.js';
import type { FarmMiddleware } from './app-deps.js';

/** Seconds a client is told to wait before sending work again (to another instance, ideally). */
const DRAIN_RETRY_AFTER_SECONDS = 5;

/** Reads (status, events, images, metrics) keep being served while the farm drains. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class RequestDrain {
  private draining = false;
  private inFlight = 0;
  private readonly waiters = new Set<() => void>();

  /** True once `begin` was called. */
  get isDraining(): boolean {
    return this.draining;
  }

  /** Requests being answered now. */
  get active(): number {
    return this.inFlight;
  }

  /** Counts requests in flight and, once draining, refuses new work. */
  middleware(): FarmMiddleware {
    return async (ctx, next) => {
      if (this.draining) {
        ctx.set('connection', 'close');
        if (!READ_METHODS.has(ctx.method) || ctx.path === '/readyz') {
          throw systemError('SHUTTING_DOWN', 'the farm is shutting down and takes no new work; send it to another instance', {
            details: { retryAfterSeconds: DRAIN_RETRY_AFTER_SECONDS },
          });
        }
      }
      this.inFlight += 1;
      try {
        await next();
      } finally {
        this.inFlight -= 1;
        if (this.inFlight === 0) for (const wake of this.waiters) wake();
      }
    };
  }

  /** From now on new work is refused; requests in flight go on. */
  begin(): void {
    this.draining = true;
  }

  /** Resolves when no request is in flight, or after `limitMs`, whichever comes first. */
  async settled(limitMs: number): Promise<void> {
    if (this.inFlight === 0) return;
    let wake!: () => void;
    const idle = new Promise<void>((resolve) => (wake = resolve));
    this.waiters.add(wake);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([idle, new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)))]);
    } finally {
      clearTimeout(timer);
      this.waiters.delete(wake);
    }
  }
}
