/**
 * How many charts an owner may ask for per minute, counted in this process (token buckets) or, with
 * REDIS_URL, in Redis, so the limit holds for the owner across every API process.
 */
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { TokenBuckets, type Admission } from './token-buckets.js';

export interface ChartRateLimiter {
  /** Takes `charts` from the owner's allowance of `perMinute` charts a minute. */
  take(owner: string, charts: number, perMinute: number): Promise<Admission>;
}

/** Per process: one set of buckets per distinct limit (owners may have their own). */
export class MemoryChartRateLimiter implements ChartRateLimiter {
  private readonly bucketsByLimit = new Map<number, TokenBuckets>();

  constructor(private readonly now: () => number = Date.now) {}

  async take(owner: string, charts: number, perMinute: number): Promise<Admission> {
    let buckets = this.bucketsByLimit.get(perMinute);
    if (!buckets) this.bucketsByLimit.set(perMinute, (buckets = new TokenBuckets(perMinute, this.now)));
    return buckets.take(owner, charts);
  }
}

/**
 * In Redis under `<prefix>:rate:<limit>:<owner>`, a window of one minute per owner: every API
 * process on that Redis counts into the same window.
 */
export class RedisChartRateLimiter implements ChartRateLimiter {
  private readonly limiters = new Map<number, RateLimiterRedis>();

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {}

  async take(owner: string, charts: number, perMinute: number): Promise<Admission> {
    try {
      await this.limiterFor(perMinute).consume(owner, charts);
      return { admitted: true };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
    }
  }

  private limiterFor(perMinute: number): RateLimiterRedis {
    let limiter = this.limiters.get(perMinute);
    if (!limiter) {
      limiter = new RateLimiterRedis({ storeClient: this.client, keyPrefix: `${this.prefix}:rate:${perMinute}`, points: perMinute, duration: 60 });
      this.limiters.set(perMinute, limiter);
    }
    return limiter;
  }
}
