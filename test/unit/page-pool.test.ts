/** The page pool's choices, with plain objects for pages: which page a render gets, and when it waits. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PagePool, PagePoolClosed, PageWaitTimeout } from '../../renderer/page-pool.js';
import { silentLogger } from '../../renderer/render-logger.js';

interface FakePage {
  id: number;
  browser: number;
  pixelRatio: number;
  sound: boolean;
  closed: boolean;
}

function poolOf(layout: { browser: number; pixelRatio: number }[], rendersPerBrowser: number, acquireTimeoutMs = 1_000) {
  let next = 0;
  const opened: FakePage[] = [];
  const pool = new PagePool<FakePage>({
    size: layout.length,
    rendersPerBrowser,
    acquireTimeoutMs,
    open: async () => {
      const spec = layout[next % layout.length]!;
      next += 1;
      const page = { id: next, ...spec, sound: true, closed: false };
      opened.push(page);
      return page;
    },
    close: async (page) => {
      page.closed = true;
    },
    validate: async (page) => page.sound,
    browserOf: (page) => page.browser,
    pixelRatioOf: (page) => page.pixelRatio,
    logger: silentLogger,
    reopenDelayMs: 1,
  });
  return { pool, opened };
}

/** Two browsers, each with a page at ratio 1 and one at ratio 2. */
const PAGE_PER_RATIO_IN_TWO_BROWSERS = [
  { browser: 0, pixelRatio: 1 },
  { browser: 0, pixelRatio: 2 },
  { browser: 1, pixelRatio: 1 },
  { browser: 1, pixelRatio: 2 },
];

describe('PagePool', () => {
  it('gives a render a page at its pixel ratio, on the least busy browser', async () => {
    const { pool } = poolOf(PAGE_PER_RATIO_IN_TWO_BROWSERS, 2);
    await pool.start();
    const first = await pool.acquire(2);
    assert.equal(first.pixelRatio, 2);
    const second = await pool.acquire(2);
    assert.deepEqual([second.pixelRatio, second.browser], [2, 1 - first.browser], 'the other browser, which is idle');
    const third = await pool.acquire(1);
    assert.equal(third.pixelRatio, 1);
    pool.release(first);
    pool.release(second);
    pool.release(third);
    assert.deepEqual([pool.borrowed, pool.available, pool.pending], [0, 4, 0]);
  });

  it('runs at most rendersPerBrowser renders in one browser; the others wait in arrival order', async () => {
    const { pool } = poolOf(PAGE_PER_RATIO_IN_TWO_BROWSERS, 1);
    await pool.start();
    const held = [await pool.acquire(1), await pool.acquire(1)];
    assert.deepEqual(held.map((page) => page.browser).sort(), [0, 1]);
    const order: number[] = [];
    const third = pool.acquire(2).then((page) => (order.push(3), page));
    const fourth = pool.acquire(2).then((page) => (order.push(4), page));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual([pool.borrowed, pool.pending], [2, 2], 'two idle pages, but both browsers are at their limit');
    pool.release(held[0]!);
    const served = await third;
    assert.deepEqual([served.browser, served.pixelRatio], [held[0]!.browser, 2]);
    pool.release(held[1]!);
    await fourth;
    assert.deepEqual(order, [3, 4]);
  });

  it('replaces a page that fails its check and hands out another', async () => {
    const { pool, opened } = poolOf([{ browser: 0, pixelRatio: 1 }, { browser: 0, pixelRatio: 1 }], 2);
    await pool.start();
    opened[0]!.sound = false;
    const page = await pool.acquire(1);
    assert.equal(page, opened[1]);
    assert.ok(opened[0]!.closed);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(pool.size, 2, 'a replacement was opened');
    assert.equal(opened.length, 3);
  });

  it('gives up waiting after acquireTimeoutMs, and refuses everything once cleared', async () => {
    const { pool } = poolOf([{ browser: 0, pixelRatio: 1 }], 1, 30);
    await pool.start();
    const page = await pool.acquire(1);
    await assert.rejects(pool.acquire(1), PageWaitTimeout);
    assert.equal(pool.pending, 0);
    const waiting = pool.acquire(1);
    const drained = pool.drain();
    await pool.clear();
    await assert.rejects(waiting, PagePoolClosed);
    await assert.rejects(pool.acquire(1), PagePoolClosed);
    assert.ok(page.closed, 'a borrowed page is closed by clear too');
    await drained;
    pool.release(page);
    assert.equal(pool.available, 0, 'a page given back after clear is not kept');
  });
});
