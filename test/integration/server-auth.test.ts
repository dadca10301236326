/**
 * API keys, tokens, owners and the rate limit over real HTTP: a farm with API_KEYS and JWT_SECRET,
 * its memory queue and local store, driven with fetch and with the typed client.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FarmApiError, FarmClient } from '../../client/index.js';
import { consumerOptions, taskHandler } from '../../farm/task-system.js';
import { configWith } from '../../config/load-config.js';
import { LocalObjectStore } from '../../storage/local-store.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import { fixedImageRenderer, TINY_PNG } from '../helpers/fixed-image-renderer.js';
import { expectProblem, postJson, readEnvelope, startTestServer, type TestServer } from '../helpers/http.js';
import { signJwt } from '../helpers/sign-jwt.js';

const ALICE_KEY = 'alice-key-0123456789';
const BOB_KEY = 'bob-key-0123456789ab';
const JWT_SECRET = 'the-identity-providers-shared-secret-0123';
const RATE = 5;
const chart = { option: { series: [] }, width: 100, height: 80 };

let directory: string;
let queue: MemoryTaskQueue;
let consumer: { close(graceMs: number): Promise<void> };
let farm: TestServer;

const asAlice = { 'x-api-key': ALICE_KEY };
const asBob = { authorization: `Bearer ${BOB_KEY}` };
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${farm.url}${path}`, { headers });

before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'farm-auth-'));
  const config = configWith({
    apiKeys: [
      { owner: 'alice', key: ALICE_KEY },
      { owner: 'bob', key: BOB_KEY },
    ],
    jwtSecret: JWT_SECRET,
    rateLimitPerMinute: RATE,
  });
  const store = new LocalObjectStore({ root: directory });
  queue = new MemoryTaskQueue();
  consumer = queue.consume(taskHandler(config, fixedImageRenderer(), store, queue), consumerOptions(config, () => undefined));
  farm = await startTestServer(undefined, config, { tasks: { queue, accepting: () => true }, store });
});

after(async () => {
  await farm?.close();
  await consumer?.close(1000);
  await queue?.close();
  await rm(directory, { recursive: true, force: true });
});

describe('a farm with API keys and tokens', () => {
  it('leaves probes, metrics and the documentation open', async () => {
    for (const path of ['/healthz', '/api/openapi.json', '/docs']) assert.equal((await get(path)).status, 200, path);
  });

  it('refuses the API without a key, with an unknown key, and with a forged or expired token', async () => {
    const expired = signJwt({ sub: 'alice', exp: Math.floor(Date.now() / 1000) - 3600 }, JWT_SECRET);
    const forged = signJwt({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 3600 }, 'not-the-identity-providers-secret-0123');
    const attempts: [Record<string, string>, RegExp][] = [
      [{}, /needs an API key/],
      [{ 'x-api-key': 'alice-key-0123456780' }, /not known/],
      [{ authorization: `Bearer ${expired}` }, /expired/],
      [{ authorization: `Bearer ${forged}` }, /signature/],
    ];
    for (const [headers, problem] of attempts) {
      const answer = await get('/api/charts/tasks', headers);
      assert.equal(answer.headers.get('www-authenticate'), 'Bearer realm="echarts-farm"');
      const envelope = await expectProblem(answer, { status: 401, type: 'VALIDATION_ERROR', reason: 'UNAUTHORIZED' });
      assert.match(envelope.msg, problem);
    }
    assert.equal((await postJson(`${farm.url}/api/charts/generate`, chart)).status, 401, 'nothing is queued without a key');
    assert.equal((await queue.counts()).pending + (await queue.counts()).completed, 0);
  });

  it("shows each owner its own tasks only: another owner's task is not found, not listed and not cancelled", async () => {
    const client = new FarmClient({ baseUrl: farm.url, apiKey: ALICE_KEY });
    const submitted = await client.submit(chart);
    const done = await client.wait(submitted.taskId, { timeoutMs: 10_000 });
    assert.equal(done.status, 'completed');
    assert.deepEqual(Buffer.from((await client.image(submitted.taskId)).bytes), TINY_PNG);

    for (const path of [`/api/charts/status/${done.taskId}`, `/api/images/${done.taskId}`, `/api/charts/events/${done.taskId}`]) {
      await expectProblem(await get(path, asBob), { status: 404, type: 'VALIDATION_ERROR', reason: 'NOT_FOUND' });
    }
    const cancel = await fetch(`${farm.url}/api/charts/tasks/${done.taskId}`, { method: 'DELETE', headers: asBob });
    await expectProblem(cancel, { status: 404, type: 'VALIDATION_ERROR', reason: 'NOT_FOUND' });
    const bobsList = await readEnvelope<{ tasks: unknown[] }>(await get('/api/charts/tasks', asBob));
    assert.deepEqual(bobsList.data?.tasks, []);

    // A token whose sub is alice is not the key owner alice: subjects and key owners are apart.
    const token = signJwt({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 3600 }, JWT_SECRET);
    const byToken = new FarmClient({ baseUrl: farm.url, token });
    assert.deepEqual((await byToken.list()).tasks, []);
    await expectProblem(await get(`/api/charts/status/${done.taskId}`, { authorization: `Bearer ${token}` }), { status: 404, type: 'VALIDATION_ERROR', reason: 'NOT_FOUND' });
    assert.equal((await readEnvelope<{ status: string }>(await get(`/api/charts/status/${done.taskId}`, asAlice))).data?.status, 'completed');
  });

  it('holds an owner to RATE_LIMIT_PER_MINUTE requests that create work, with Retry-After, and not the others', async () => {
    const carol = { authorization: `Bearer ${signJwt({ sub: 'carol', exp: Math.floor(Date.now() / 1000) + 3600 }, JWT_SECRET)}` };
    const statuses: number[] = [];
    for (let index = 0; index < RATE; index += 1) statuses.push((await postJson(`${farm.url}/api/charts/generate`, chart, carol)).status);
    assert.deepEqual(statuses, Array(RATE).fill(202));
    const refused = await postJson(`${farm.url}/api/charts/generate`, chart, carol);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    await expectProblem(refused, { status: 429, type: 'VALIDATION_ERROR', reason: 'RATE_LIMITED' });
    assert.equal((await get('/api/charts/tasks', carol)).status, 200, 'reading is not limited');
    assert.equal((await postJson(`${farm.url}/api/charts/generate`, chart, asBob)).status, 202, 'another owner is not held back');

    const client = new FarmClient({ baseUrl: farm.url, token: carol.authorization.slice('Bearer '.length), maxRetries: 0 });
    const error = await client.submit(chart).then(
      () => assert.fail('expected RATE_LIMITED'),
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof FarmApiError && error.reason === 'RATE_LIMITED');
  });
});
