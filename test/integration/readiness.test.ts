/** `/readyz` under load: a pool busy with real work is ready; a pool that finishes nothing is not. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FarmError } from '../../errors/farm-error.js';
import { ReadinessProbe } from '../../ops/readiness-probe.js';
import { request, startTestRenderer } from '../helpers/renderer.js';

/** Never reports `finished`, so each render holds its page for the whole finished wait. */
const SLOW = { xAxis: {}, yAxis: {}, series: [{ type: 'effectScatter', data: [[1, 2]] }] };

describe('readiness under load', () => {
  it('is ready but busy when the canary waits behind renders that keep finishing', async () => {
    const renderer = await startTestRenderer({ finishedWaitMs: 600 });
    try {
      const work = Array.from({ length: 6 }, () => renderer.render(request({ option: SLOW })));
      const readiness = await new ReadinessProbe(renderer, { deadlineMs: 1_500 }).check();
      assert.equal(readiness.ready, true);
      assert.equal(readiness.busy, true);
      assert.equal(readiness.fingerprint, renderer.fingerprint.hash);
      await Promise.all(work);
    } finally {
      await renderer.close();
    }
  });

  it('is not ready when nothing finishes before the deadline', async () => {
    const renderer = await startTestRenderer({ finishedWaitMs: 4_000 });
    try {
      const stuck = renderer.render(request({ option: SLOW }));
      await assert.rejects(new ReadinessProbe(renderer, { deadlineMs: 1_000 }).check(), (error: unknown) => {
        assert.ok(error instanceof FarmError);
        assert.equal(error.reason, 'NOT_READY');
        assert.equal(error.status, 503);
        return true;
      });
      await stuck;
    } finally {
      await renderer.close();
    }
  });
});
