/**
 * The signed-URL cache on both backends (memory, and a real Redis under a key prefix of its own):
 * hit, miss, signing anew inside the refresh window, background renewal of URLs in use, dropping of
 * unused ones, and two instances on one Redis renewing each URL once.
 *
 * The signer is a stand-in for `ObjectStore.signedUrl` that runs on the test's clock: the cache's
 * decisions are about time, and a real driver would sign on the wall clock (the drivers' own
 * signatures are tested in oss-store and s3-store).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { MemoryUrlCache } from '../../storage/memory-url-cache.js';
import type { SignedUrl } from '../../storage/object-store.js';
import { RedisUrlCache } from '../../storage/redis-url-cache.js';
import { SignedUrlCache } from '../../storage/signed-url-cache.js';
import type { UrlCacheBackend } from '../../storage/url-cache-backend.js';
import { refreshIntervalMs, UrlRefresher } from '../../storage/url-refresher.js';
import { deleteKeysBelow, TEST_REDIS_URL } from '../helpers/redis.js';

const TTL_SECONDS = 3600;
const AHEAD_SECONDS = 300;

/** A clock the test moves by hand. */
class TestClock {
  value = Date.now();
  readonly now = (): number => this.value;
  advance(ms: number): void {
    this.value += ms;
  }
}

/** Signs on the test clock and counts its signatures per key; `delayMs` makes concurrent renewals overlap. */
class CountingSigner {
  readonly calls = new Map<string, number>();
  constructor(
    private readonly clock: TestClock,
    private readonly delayMs = 0,
  ) {}

  async signedUrl(key: string, expiresInSeconds: number): Promise<SignedUrl> {
    const count = (this.calls.get(key) ?? 0) + 1;
    this.calls.set(key, count);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return { url: `https://farm-bucket.example.com/${key}?signature=${count}`, expiresAt: new Date(this.clock.now() + expiresInSeconds * 1000) };
  }

  total(): number {
    return [...this.calls.values()].reduce((sum, count) => sum + count, 0);
  }
}

function cacheOver(backend: UrlCacheBackend, signer: CountingSigner, clock: TestClock, refreshBatchSize = 100): SignedUrlCache {
  return new SignedUrlCache({ store: signer, backend, ttlSeconds: TTL_SECONDS, refreshAheadSeconds: AHEAD_SECONDS, refreshBatchSize, now: clock.now });
}

const admin = new Redis(TEST_REDIS_URL);
after(() => admin.quit());

const deleteKeys = (prefix: string): Promise<void> => deleteKeysBelow(admin, prefix);

/** One backend kind: how a test gets a fresh, isolated backend (several share one Redis prefix when asked). */
interface BackendKind {
  name: string;
  /** Backends that share one cache (one per "instance"), and a cleanup. */
  open(clock: TestClock, instances: number): Promise<{ backends: UrlCacheBackend[]; close(): Promise<void> }>;
}

const memoryKind: BackendKind = {
  name: 'memory',
  async open(clock) {
    const backend = new MemoryUrlCache(clock.now);
    return { backends: [backend], close: () => backend.close() };
  },
};

const redisKind: BackendKind = {
  name: 'redis',
  async open(_clock, instances) {
    const prefix = `farm-test-urls-${randomUUID().slice(0, 8)}`;
    const backends = Array.from({ length: instances }, () => new RedisUrlCache({ url: TEST_REDIS_URL, prefix }));
    return {
      backends,
      async close() {
        await Promise.all(backends.map((backend) => backend.close()));
        await deleteKeys(prefix);
      },
    };
  },
};

for (const kind of [memoryKind, redisKind]) {
  describe(`signed URL cache on ${kind.name}`, () => {
    async function withCache(test: (cache: SignedUrlCache, signer: CountingSigner, clock: TestClock) => Promise<void>): Promise<void> {
      const clock = new TestClock();
      const signer = new CountingSigner(clock);
      const { backends, close } = await kind.open(clock, 1);
      try {
        await test(cacheOver(backends[0]!, signer, clock), signer, clock);
      } finally {
        await close();
      }
    }

    it('signs on a miss, then answers the same URL from the cache', () =>
      withCache(async (cache, signer, clock) => {
        const first = await cache.get('farm/a.png');
        clock.advance(60_000);
        const second = await cache.get('farm/a.png');
        assert.deepEqual(second, first);
        assert.equal(first.expiresAt.getTime(), clock.now() - 60_000 + TTL_SECONDS * 1000);
        assert.equal(signer.total(), 1);
        assert.deepEqual(cache.counters.snapshot(), { hits: 1, misses: 1, refreshes: 0, errors: 0 });
      }));

    it('signs anew in the request when the cached URL has less than the refresh window to live', () =>
      withCache(async (cache, signer, clock) => {
        const first = await cache.get('farm/a.png');
        clock.advance((TTL_SECONDS - AHEAD_SECONDS + 1) * 1000);
        const second = await cache.get('farm/a.png');
        assert.notEqual(second.url, first.url);
        assert.ok(second.expiresAt.getTime() - clock.now() > AHEAD_SECONDS * 1000, 'a URL handed out lives longer than the window');
        assert.deepEqual(cache.counters.snapshot(), { hits: 0, misses: 2, refreshes: 0, errors: 0 });
      }));

    it('renews a URL in use before it expires, and drops one nobody read since it was signed', () =>
      withCache(async (cache, signer, clock) => {
        const used = await cache.get('farm/used.png');
        clock.advance(1_000);
        await cache.get('farm/used.png');
        await cache.get('farm/once.png');

        clock.advance(10 * 60_000);
        assert.deepEqual((await cache.refreshDue()).examined, 0, 'nothing is due yet');

        // Into the refresh window of both (once.png was signed a second later).
        clock.advance((TTL_SECONDS - AHEAD_SECONDS) * 1000 - 10 * 60_000 + 1_000);
        const pass = await cache.refreshDue();
        assert.deepEqual(pass, { examined: 2, refreshed: 1, dropped: 1, skipped: 0, failed: 0, more: false });

        const renewed = await cache.get('farm/used.png');
        assert.notEqual(renewed.url, used.url);
        assert.equal(renewed.expiresAt.getTime(), clock.now() + TTL_SECONDS * 1000, 'renewed for a full TTL');
        assert.deepEqual(signer.calls.get('farm/used.png'), 2);
        await cache.get('farm/once.png');
        assert.deepEqual(cache.counters.snapshot(), { hits: 2, misses: 3, refreshes: 1, errors: 0 });
      }));
  });
}

describe('signed URL cache shared through Redis', () => {
  it('two instances renewing at once renew each URL exactly once', async () => {
    const clock = new TestClock();
    // Slow signatures, so both instances are inside a pass at the same time.
    const signer = new CountingSigner(clock, 20);
    const { backends, close } = await redisKind.open(clock, 2);
    try {
      const [a, b] = backends.map((backend) => cacheOver(backend, signer, clock, 10)) as [SignedUrlCache, SignedUrlCache];
      const keys = Array.from({ length: 12 }, (_, index) => `farm/chart-${index}.png`);
      for (const key of keys) await a.get(key);
      clock.advance(1_000);
      for (const key of keys) await b.get(key);
      assert.equal(b.counters.hits, keys.length, 'the second instance reads what the first one signed');

      clock.advance((TTL_SECONDS - AHEAD_SECONDS) * 1000);
      const refresherA = new UrlRefresher({ cache: a, intervalMs: 60_000 });
      const refresherB = new UrlRefresher({ cache: b, intervalMs: 60_000 });
      await Promise.all([refresherA.tick(), refresherB.tick()]);

      for (const key of keys) assert.equal(signer.calls.get(key), 2, `${key}: one signature on the miss, one renewal`);
      assert.equal(a.counters.refreshes + b.counters.refreshes, keys.length);
      assert.ok(a.counters.refreshes > 0 && b.counters.refreshes > 0, `both instances took part (${a.counters.refreshes} + ${b.counters.refreshes})`);
      const renewed = await a.get(keys[0]!);
      assert.equal(renewed.url, (await b.get(keys[0]!)).url);
      assert.match(renewed.url, /signature=2$/);
    } finally {
      await close();
    }
  });

  it('keeps every key below the prefix and lets an entry expire with its URL', async () => {
    const clock = new TestClock();
    const prefix = `farm-test-urls-${randomUUID().slice(0, 8)}`;
    const backend = new RedisUrlCache({ url: TEST_REDIS_URL, prefix });
    try {
      const signed = await cacheOver(backend, new CountingSigner(clock), clock).get('farm/a:b.png');
      const keys = (await admin.keys(`${prefix}:*`)).sort();
      assert.deepEqual(keys, [`${prefix}:signed-url-due`, `${prefix}:signed-url:farm%2Fa%3Ab.png`]);
      const ttl = await admin.pttl(`${prefix}:signed-url:farm%2Fa%3Ab.png`);
      assert.ok(Math.abs(ttl - (signed.expiresAt.getTime() - Date.now())) < 5_000, `expires with the URL (PTTL ${ttl})`);
    } finally {
      await backend.close();
      await deleteKeys(prefix);
    }
  });
});

describe('signed URL cache without its backend', () => {
  it('still answers a signed URL when the backend fails, and counts the error', async () => {
    const clock = new TestClock();
    const signer = new CountingSigner(clock);
    const broken = new MemoryUrlCache(clock.now);
    broken.read = async () => {
      throw new Error('connection lost');
    };
    const cache = cacheOver(broken, signer, clock);
    assert.match((await cache.get('farm/a.png')).url, /signature=1/);
    assert.deepEqual(cache.counters.snapshot(), { hits: 0, misses: 0, refreshes: 0, errors: 1 });
  });
});

describe('URL refresher', () => {
  it('renews on its own timer and stops cleanly', async () => {
    const clock = new TestClock();
    const cache = cacheOver(new MemoryUrlCache(clock.now), new CountingSigner(clock), clock);
    await cache.get('farm/a.png');
    clock.advance(1_000);
    await cache.get('farm/a.png');
    clock.advance((TTL_SECONDS - AHEAD_SECONDS) * 1000);
    const refresher = new UrlRefresher({ cache, intervalMs: 10 });
    refresher.start();
    const deadline = Date.now() + 5_000;
    while (cache.counters.refreshes === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await refresher.stop();
    assert.equal(cache.counters.refreshes, 1);
  });

  it('ticks at a quarter of the refresh window, between 1 s and 60 s', () => {
    assert.deepEqual([refreshIntervalMs(300), refreshIntervalMs(60), refreshIntervalMs(2)], [60_000, 15_000, 1_000]);
  });
});
