/**
 * Holds each owner to its charts a minute (its `rate` in API_KEYS_FILE, else RATE_LIMIT_PER_MINUTE):
 * every POST of the API that creates work costs one chart, a batch costs one per chart (the batch
 * route charges it through `ctx.state.chargeCharts` once it knows the count).
 */
import { FarmError } from '../../errors/farm-error.js';
import type { FarmMiddleware } from '../app-deps.js';
import type { ChartRateLimiter } from '../auth/chart-rate-limiter.js';

/** The route that charges its own cost. */
const BATCH_PATH = '/api/charts/batch';

export interface RateLimits {
  limiter: ChartRateLimiter;
  /** Charts a minute `owner` may ask for; 0: no limit. */
  perMinuteOf(owner: string): number;
}

export function rateLimit(limits: RateLimits): FarmMiddleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST') return next();
    const owner = ctx.state.owner;
    const perMinute = limits.perMinuteOf(owner);
    if (perMinute === 0) return next();
    ctx.state.chargeCharts = async (charts) => {
      const admission = await limits.limiter.take(owner, charts, perMinute);
      if (admission.admitted) return;
      throw new FarmError({
        reason: 'RATE_LIMITED',
        message: `more than ${perMinute} charts a minute (RATE_LIMIT_PER_MINUTE); try again in ${admission.retryAfterSeconds} s`,
        details: { retryAfterSeconds: admission.retryAfterSeconds, limitPerMinute: perMinute, charts },
      });
    };
    if (ctx.path !== BATCH_PATH) await ctx.state.chargeCharts(1);
    return next();
  };
}
