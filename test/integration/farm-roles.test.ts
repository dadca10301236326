/** A role started without what it needs stops at once with the configuration exit code. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runFarm } from '../helpers/cli.js';

describe('echarts-farm roles without REDIS_URL', () => {
  for (const role of ['api', 'worker']) {
    it(`${role} exits 78 naming REDIS_URL`, () => {
      const run = runFarm([role], { env: { REDIS_URL: '' }, timeoutMs: 30_000 });
      assert.equal(run.status, 78, run.stderr);
      assert.match(run.stderr, /set REDIS_URL/);
    });
  }
});
