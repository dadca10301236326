/** Holds each owner to RATE_LIMIT_PER_MINUTE requests that create work (every POST of the API). */
import { FarmError } from '../../errors/farm-error.js';
import type { FarmMiddleware } from '../app-deps.js';
import { TokenBuckets } from '../auth/token-buckets.js';

export function rateLimit(perMinute: number, buckets = new TokenBuckets(perMinute)): FarmMiddleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST') return next();
    const admission = buckets.take(ctx.state.owner);
    if (!admission.admitted) {
      throw new FarmError({
        reason: 'RATE_LIMITED',
        message: `more than ${perMinute} requests a minute (RATE_LIMIT_PER_MINUTE); try again in ${admission.retryAfterSeconds} s`,
        retryable: true,
        details: { retryAfterSeconds: admission.retryAfterSeconds, limitPerMinute: perMinute },
      });
    }
    return next();
  };
}
