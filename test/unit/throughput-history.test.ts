/** The throughput history: buckets from samples of the queue counts, on a hand-driven clock. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QueueCounts } from '../../tasks/task-queue.js';
import { ThroughputHistory } from '../../ops/throughput-history.js';

/** A queue whose counts and clock the test moves. */
function fakeFarm() {
  const counts: QueueCounts = { pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0, totalProcessed: 0, averageProcessingMs: 0 };
  const farm = {
    nowMs: 1_000_000,
    counts,
    finish(completed: number, failed = 0) {
      counts.completed += completed;
      counts.failed += failed;
      counts.totalProcessed += completed + failed;
    },
  };
  const history = new ThroughputHistory({ counts: async () => ({ ...counts }) }, { bucketMs: 10_000, bucketCount: 6, now: () => farm.nowMs });
  return { farm, history };
}

describe('ThroughputHistory', () => {
  it('counts the tasks finished in the bucket under way from the first look on', async () => {
    const { farm, history } = fakeFarm();
    farm.finish(5);
    const first = await history.snapshot();
    assert.deepEqual(first, { bucketSeconds: 10, buckets: [{ startedAt: new Date(1_000_000).toISOString(), finished: 0, failed: 0 }] });
    farm.finish(3, 1);
    farm.nowMs += 4_000;
    assert.deepEqual((await history.snapshot()).buckets.map((bucket) => [bucket.finished, bucket.failed]), [[4, 1]]);
  });

  it('closes a bucket at its boundary and starts the next one on the boundary', async () => {
    const { farm, history } = fakeFarm();
    await history.snapshot();
    farm.finish(2);
    farm.nowMs = 1_010_001;
    farm.finish(0, 1);
    const { buckets } = await history.snapshot();
    assert.deepEqual(buckets, [
      { startedAt: new Date(1_000_000).toISOString(), finished: 3, failed: 1 },
      { startedAt: new Date(1_010_000).toISOString(), finished: 0, failed: 0 },
    ]);
  });

  it('keeps only the buckets of its window, and never counts below zero', async () => {
    const { farm, history } = fakeFarm();
    for (let step = 0; step < 10; step += 1) {
      farm.finish(1);
      await history.snapshot();
      farm.nowMs += 10_000;
    }
    // Retention deleted failed records: the count shrinks, the bucket stays at zero.
    farm.counts.failed = 0;
    const { buckets } = await history.snapshot();
    assert.equal(buckets.length, 6);
    assert.ok(buckets.every((bucket) => bucket.finished >= 0 && bucket.failed === 0));
    assert.ok(Date.parse(buckets[0]!.startedAt) > farm.nowMs - 60_000);
  });

  it('samples at every boundary once started, and stops', async () => {
    const { farm } = fakeFarm();
    let reads = 0;
    const history = new ThroughputHistory(
      {
        counts: async () => {
          reads += 1;
          return { ...farm.counts };
        },
      },
      { bucketMs: 20 },
    );
    await history.start();
    await new Promise((resolve) => setTimeout(resolve, 110));
    history.stop();
    const afterStop = reads;
    assert.ok(afterStop >= 3, `sampled ${afterStop} times in 110 ms of 20 ms buckets`);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(reads, afterStop);
  });
});
