/**
 * One token bucket per owner: `perMinute` tokens, refilled evenly, so a burst of a minute's worth is
 * allowed and the rate over time is held. Per process: with several API processes the limit lives in
 * Redis instead (auth/chart-rate-limiter.ts).
 */

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/** Full buckets are forgotten once the map grows past this, so idle owners cost nothing. */
const FORGET_FULL_BUCKETS_ABOVE = 10_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes `cost` tokens (one a chart) from the owner's bucket, or says when enough will be back. */
  take(owner: string, cost = 1): Admission {
    const now = this.now();
    const bucket = this.refilled(this.buckets.get(owner) ?? { tokens: this.perMinute, refilledAt: now }, now);
    this.buckets.set(owner, bucket);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      if (this.buckets.size > FORGET_FULL_BUCKETS_ABOVE) this.forgetFull(now);
      return { admitted: true };
    }
    // More than a minute's worth can never be admitted at once: the wait is for a full bucket.
    const waitSeconds = ((Math.min(cost, this.perMinute) - bucket.tokens) * 60) / this.perMinute;
    // The epsilon keeps float noise (0.95 tokens → 1.0000000002 s) from adding a whole second.
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds - 1e-9)) };
  }

  private refilled(bucket: Bucket, now: number): Bucket {
    const earned = ((now - bucket.refilledAt) / 60_000) * this.perMinute;
    return { tokens: Math.min(this.perMinute, bucket.tokens + earned), refilledAt: now };
  }

  private forgetFull(now: number): void {
    for (const [owner, bucket] of this.buckets) {
      if (this.refilled(bucket, now).tokens >= this.perMinute) this.buckets.delete(owner);
    }
  }
}
