/**
 * Bodies of allowed size that used to freeze the farm: a 10 MB numeric array is checked, hashed and
 * queued while /healthz keeps answering within a second; options nested thousands of levels deep
 * get a 400 naming MAX_OPTION_DEPTH instead of a stack overflow or a hung page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import { expectProblem, postJson, startTestServer, type TestServer } from '../helpers/http.js';

let server: TestServer;

before(async () => {
  // A queue nobody consumes: the cost measured is the gate's, not a render's.
  server = await startTestServer(undefined, {}, { tasks: { queue: new MemoryTaskQueue(), accepting: () => true } });
});

after(async () => server?.close());

function nestedBody(levels: number): string {
  return `{"option":{"series":[{"type":"bar","data":[1]}],"x":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}}`;
}

describe('hostile bodies of allowed size', () => {
  test('three 10 MB numeric options are queued while /healthz answers every poll within 1 s', async () => {
    const data = Array.from({ length: 4_900_000 }, (_, i) => i % 10).join(',');
    const body = `{"option":{"series":[{"type":"scatter","data":[${data}]}]}}`;
    assert.ok(body.length > 9_500_000 && body.length < 10 * 1024 * 1024);
    let slowest = 0;
    let polls = 0;
    let sending = true;
    const polling = (async () => {
      while (sending) {
        const started = performance.now();
        const response = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5_000) });
        assert.equal(response.status, 200);
        slowest = Math.max(slowest, performance.now() - started);
        polls += 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const started = performance.now();
    const answers = await Promise.all([0, 1, 2].map((seed) => postJson(`${server.url}/api/charts/generate`, body.replace('"data":[0', `"data":[${seed}`))));
    const elapsed = performance.now() - started;
    sending = false;
    await polling;
    for (const answer of answers) assert.equal(answer.status, 202);
    console.log(`# three 10 MB bodies queued in ${elapsed.toFixed(0)} ms; ${polls} /healthz polls, slowest ${slowest.toFixed(0)} ms`);
    assert.ok(slowest < 1_000, `/healthz took ${slowest.toFixed(0)} ms`);
  });

  for (const levels of [300, 10_000, 200_000]) {
    test(`${levels} levels of nesting: 400 INVALID_OPTION naming MAX_OPTION_DEPTH`, async () => {
      const response = await postJson(`${server.url}/api/charts/generate?async=false`, nestedBody(levels));
      const problem = await expectProblem(response, { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_OPTION' });
      assert.match(problem.msg, /MAX_OPTION_DEPTH/);
    });
  }
});
