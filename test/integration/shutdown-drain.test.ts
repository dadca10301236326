/**
 * SIGTERM loses no request: synchronous renders already accepted (rendering or waiting for a
 * page) are answered, and the listener keeps answering new work with 503 SHUTTING_DOWN and
 * Retry-After until they are, instead of refusing connections.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startFarmProcess, type FarmProcess } from '../helpers/farm-process.js';
import { postJson, readEnvelope } from '../helpers/http.js';

/** Never reports `finished` by itself: each render takes the finished wait (RENDER_FINISHED_WAIT_MS). */
const SLOW_OPTION = { animation: false, xAxis: {}, yAxis: {}, series: [{ type: 'effectScatter', data: [[1, 2]] }] };

describe('shutdown with synchronous renders in flight', () => {
  let farm: FarmProcess | undefined;
  after(() => farm?.stop('SIGKILL'));

  it('answers every accepted render, and new work 503 with Retry-After while it drains', async () => {
    farm = await startFarmProcess('serve', {
      LOCAL_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'farm-drain-')),
      POOL_PAGES_PER_BROWSER: '2',
      RENDER_FINISHED_WAIT_MS: '700',
      POOL_ACQUIRE_TIMEOUT_MS: '60000',
      SHUTDOWN_GRACE_MS: '60000',
    });
    const url = farm.url;
    // 2 render at once, 18 wait for a page.
    const renders = Array.from({ length: 20 }, () =>
      postJson(`${url}/api/charts/generate?async=false`, { option: SLOW_OPTION, width: 200, height: 100 }).then(
        (response) => ({ status: response.status, retryAfter: response.headers.get('retry-after') }),
        (error: Error) => ({ status: 0, retryAfter: null, error: error.message }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    farm.child.kill('SIGTERM');
    while (!farm.logs.some((entry) => String(entry.msg).startsWith('shutting down'))) await new Promise((resolve) => setTimeout(resolve, 20));

    // While it drains, new work meets an answer, not a refused connection.
    const refused = await postJson(`${url}/api/charts/generate?async=false`, { option: SLOW_OPTION, width: 200, height: 100 });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '5');
    assert.equal((await readEnvelope(refused)).error?.reason, 'SHUTTING_DOWN');
    assert.equal((await fetch(`${url}/readyz`)).status, 503, 'not ready while draining');

    const answers = await Promise.all(renders);
    const dropped = answers.filter((answer) => answer.status === 0);
    assert.deepEqual(dropped, [], 'requests without an answer');
    for (const answer of answers) {
      assert.ok(answer.status === 200 || (answer.status === 503 && answer.retryAfter !== null), JSON.stringify(answer));
    }
    assert.ok(answers.filter((answer) => answer.status === 200).length >= 2, JSON.stringify(answers));
    assert.equal(await farm.exited, 0);
  });
});
