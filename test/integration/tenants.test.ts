/**
 * Owners sharing one farm, over real HTTP, against the memory and the Redis backends: the result
 * cache per owner, the admin scope, token refusals, callback URLs into the farm's own network, the
 * per-owner cap on pending tasks, the rate limit in charts (in Redis across two API instances) and
 * unsatisfiable ranges. Webhook targets are loopback only; other private forms are proven refused
 * by the answer alone (nothing connects to them).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import { consumerOptions, taskHandler } from '../../farm/task-system.js';
import { parseOwnerEntries } from '../../config/api-keys-setting.js';
import { configWith } from '../../config/load-config.js';
import type { Config } from '../../config/settings.js';
import type { AppDeps } from '../../server/app-deps.js';
import { RedisChartRateLimiter, type ChartRateLimiter } from '../../server/auth/chart-rate-limiter.js';
import { LocalObjectStore } from '../../storage/local-store.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import { createRedisTaskQueue } from '../../tasks/redis/redis-task-queue.js';
import type { TaskConsumer, TaskQueue } from '../../tasks/task-queue.js';
import { fixedImageRenderer } from '../helpers/fixed-image-renderer.js';
import { expectProblem, postJson, readEnvelope, startTestServer, type TestServer } from '../helpers/http.js';
import { deleteKeysBelow, TEST_REDIS_URL } from '../helpers/redis.js';
import { signJwt } from '../helpers/sign-jwt.js';

const KEYS = { alice: 'alice-key-0123456789', bob: 'bob-key-0123456789ab', ops: 'ops-key-0123456789abc' };
const KEYS_FILE = [
  `alice key=${KEYS.alice} maxPending=3 webhookSecret=alice-webhook-secret-01`,
  `bob key=${KEYS.bob}`,
  `ops key=${KEYS.ops} scope=admin`,
].join('\n');
const JWT_SECRET = 'the-identity-providers-shared-secret-0123';
const as = (owner: keyof typeof KEYS) => ({ 'x-api-key': KEYS[owner] });
const chart = (marker: number) => ({ option: { title: { text: `chart ${marker}` }, series: [] }, width: 120, height: 90 });
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

function tenantConfig(overrides: Partial<Config> = {}): Config {
  return configWith({
    apiKeysFile: parseOwnerEntries(KEYS_FILE),
    jwtSecret: JWT_SECRET,
    jwtAudience: 'echarts-farm',
    jwtIssuer: 'https://id.example',
    jwtMaxLifetimeSeconds: 3600,
    ...overrides,
  });
}

interface Backend {
  name: 'memory' | 'redis';
  open(): Promise<TaskQueue>;
  /** Two queue instances on one store of tasks (Redis: two connections on one prefix, as two API processes). */
  openPair(): Promise<[TaskQueue, TaskQueue]>;
  /** A rate limiter as every API instance of this backend would have it (Redis: shared). */
  limiter(): ChartRateLimiter | undefined;
  cleanup(): Promise<void>;
}

function memoryBackend(): Backend {
  return {
    name: 'memory',
    open: async () => new MemoryTaskQueue(),
    async openPair() {
      const queue = new MemoryTaskQueue();
      return [queue, queue];
    },
    limiter: () => undefined,
    cleanup: async () => undefined,
  };
}

function redisBackend(): Backend {
  const prefix = `farm-tenants-${randomUUID().slice(0, 8)}`;
  const clients: Redis[] = [];
  return {
    name: 'redis',
    open: () => createRedisTaskQueue({ url: TEST_REDIS_URL, prefix: `${prefix}:q-${randomUUID().slice(0, 4)}`, logger, heartbeatMs: 200 }),
    async openPair() {
      const shared = `${prefix}:pair-${randomUUID().slice(0, 4)}`;
      const open = () => createRedisTaskQueue({ url: TEST_REDIS_URL, prefix: shared, logger, heartbeatMs: 200 });
      return [await open(), await open()];
    },
    limiter() {
      // Its own connection, as a separate API process would have.
      const client = new Redis(TEST_REDIS_URL);
      clients.push(client);
      return new RedisChartRateLimiter(client, prefix);
    },
    async cleanup() {
      const admin = new Redis(TEST_REDIS_URL);
      await deleteKeysBelow(admin, prefix);
      await admin.quit();
      await Promise.all(clients.map((client) => client.quit()));
    },
  };
}

async function waitForStatus(farm: TestServer, taskId: string, owner: keyof typeof KEYS, status: string): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const envelope = await readEnvelope<Record<string, unknown>>(await fetch(`${farm.url}/api/charts/status/${taskId}`, { headers: as(owner) }));
    if (envelope.data?.status === status) return envelope.data;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`task ${taskId} did not become ${status}`);
}

async function submit(farm: TestServer, owner: keyof typeof KEYS, body: unknown): Promise<Response> {
  return postJson(`${farm.url}/api/charts/generate`, body, as(owner));
}

for (const makeBackend of [memoryBackend, redisBackend]) {
  const backend = makeBackend();
  describe(`owners sharing a farm (${backend.name} backend)`, () => {
    let directory: string;
    const queues: TaskQueue[] = [];
    let consumer: TaskConsumer;
    let busy: TestServer;
    let idle: TestServer;
    let listener: Server;
    let listenerPort: number;
    let listenerHits = 0;

    before(async () => {
      directory = await mkdtemp(join(tmpdir(), 'farm-tenants-'));
      const store = new LocalObjectStore({ root: directory });
      const busyQueue = await backend.open();
      const idleQueue = await backend.open();
      queues.push(busyQueue, idleQueue);
      const config = tenantConfig();
      consumer = busyQueue.consume(taskHandler(config, fixedImageRenderer(), store, busyQueue), consumerOptions(config, () => undefined));
      busy = await startTestServer(undefined, config, { tasks: { queue: busyQueue, accepting: () => true }, store });
      // No worker takes the idle farm's tasks: they stay pending, for quotas and counts.
      idle = await startTestServer(undefined, config, { tasks: { queue: idleQueue, accepting: () => true }, store });
      listener = createServer((_request, response) => {
        listenerHits += 1;
        response.writeHead(204).end();
      }).listen(0, '127.0.0.1');
      await once(listener, 'listening');
      listenerPort = (listener.address() as AddressInfo).port;
    });

    after(async () => {
      await busy?.close();
      await idle?.close();
      await consumer?.close(1000);
      for (const queue of queues) await queue.close();
      listener?.close();
      await backend.cleanup();
      await rm(directory, { recursive: true, force: true });
    });

    it("never answers one owner's chart from another owner's result", async () => {
      const body = chart(1);
      const aliceFirst = (await readEnvelope<{ taskId: string }>(await submit(busy, 'alice', body))).data!.taskId;
      assert.equal((await waitForStatus(busy, aliceFirst, 'alice', 'completed')).cached, false);
      const bobs = (await readEnvelope<{ taskId: string }>(await submit(busy, 'bob', body))).data!.taskId;
      assert.equal((await waitForStatus(busy, bobs, 'bob', 'completed')).cached, false, "bob's identical chart is rendered for bob");
      const aliceAgain = (await readEnvelope<{ taskId: string }>(await submit(busy, 'alice', body))).data!.taskId;
      assert.equal((await waitForStatus(busy, aliceAgain, 'alice', 'completed')).cached, true, "alice's own repeat is still cached");
    });

    it('answers 416 with the size for a range no byte satisfies', async () => {
      const taskId = (await readEnvelope<{ taskId: string }>(await submit(busy, 'bob', chart(2)))).data!.taskId;
      const done = await waitForStatus(busy, taskId, 'bob', 'completed');
      for (const range of ['bytes=-0', `bytes=${String(done.bytes)}-`, 'bytes=999999-1000000']) {
        const answer = await fetch(`${busy.url}/api/images/${taskId}`, { headers: { ...as('bob'), range } });
        assert.equal(answer.headers.get('content-range'), `bytes */${String(done.bytes)}`, range);
        await expectProblem(answer, { status: 416, type: 'VALIDATION_ERROR', reason: 'RANGE_NOT_SATISFIABLE' });
      }
      assert.equal((await fetch(`${busy.url}/api/images/${taskId}`, { headers: { ...as('bob'), range: 'bytes=-4' } })).status, 206);
    });

    it('keeps the system views for the admin scope and shows others the counts of their own tasks', async () => {
      for (const path of ['/api/system/workers', '/api/system/info', '/api/system/storage', '/api/system/throughput']) {
        await expectProblem(await fetch(`${busy.url}${path}`, { headers: as('bob') }), { status: 403, type: 'VALIDATION_ERROR', reason: 'FORBIDDEN' });
        assert.equal((await fetch(`${busy.url}${path}`, { headers: as('ops') })).status, 200, path);
      }
      const admin = signJwt({ sub: 'dana', scope: 'admin', aud: 'echarts-farm', iss: 'https://id.example', exp: Math.floor(Date.now() / 1000) + 600 }, JWT_SECRET);
      assert.equal((await fetch(`${busy.url}/api/system/workers`, { headers: { authorization: `Bearer ${admin}` } })).status, 200, 'a token with the admin scope');

      const bobsTask = (await readEnvelope<{ taskId: string }>(await submit(idle, 'bob', chart(3)))).data!.taskId;
      await submit(idle, 'alice', chart(4));
      const bobsView = (await readEnvelope<Record<string, unknown>>(await fetch(`${idle.url}/api/system/queue-status`, { headers: as('bob') }))).data!;
      assert.equal(bobsView.pendingTasks, 1, 'bob counts only his own pending task');
      assert.equal(bobsView.workers, undefined);
      const opsView = (await readEnvelope<Record<string, unknown>>(await fetch(`${idle.url}/api/system/queue-status`, { headers: as('ops') }))).data!;
      assert.ok(Number(opsView.pendingTasks) >= 2, 'the admin counts every owner');
      assert.equal((await fetch(`${idle.url}/api/charts/status/${bobsTask}`, { headers: as('ops') })).status, 200, "the admin sees bob's task");
      assert.equal((await fetch(`${idle.url}/api/charts/status/${bobsTask}`, { headers: as('alice') })).status, 404);
      await fetch(`${idle.url}/api/charts/tasks/${bobsTask}`, { method: 'DELETE', headers: as('bob') });
    });

    it('answers /readyz, which is open, without the folder of the canary golden', async () => {
      const canary = { status: 'match' as const, golden: join(directory, 'canary', 'fp-1.png'), differingPixels: 0, share: 0 };
      const readiness = { check: async () => ({ ready: true as const, fingerprint: 'fp-1', renderMs: 5, canary }) };
      // A renderer makes the app answer /readyz from the probe; the probe is the part under test here.
      const probe = await startTestServer(fixedImageRenderer() as AppDeps['renderer'], tenantConfig(), { readiness, tasks: { queue: queues[0]!, accepting: () => true } });
      try {
        const text = await (await fetch(`${probe.url}/readyz`)).text();
        assert.ok(!text.includes(directory), text);
        assert.equal((JSON.parse(text) as { data: { canary: { golden: string } } }).data.canary.golden, 'fp-1.png');
      } finally {
        await probe.close();
      }
    });

    it('refuses tokens for another audience or issuer, too far ahead, and keeps subjects apart from key owners', async () => {
      const now = Math.floor(Date.now() / 1000);
      const good = { sub: 'alice', aud: 'echarts-farm', iss: 'https://id.example', exp: now + 600 };
      const refusals: [Record<string, unknown>, RegExp][] = [
        [{ ...good, aud: 'another-api' }, /audience/],
        [{ ...good, iss: 'https://elsewhere.example' }, /issuer/],
        [{ ...good, exp: 1e300 }, /ahead/],
      ];
      for (const [claims, problem] of refusals) {
        const answer = await fetch(`${busy.url}/api/charts/tasks`, { headers: { authorization: `Bearer ${signJwt(claims, JWT_SECRET)}` } });
        assert.match((await expectProblem(answer, { status: 401, type: 'VALIDATION_ERROR', reason: 'UNAUTHORIZED' })).msg, problem);
      }
      const asTokenAlice = { authorization: `Bearer ${signJwt(good, JWT_SECRET)}` };
      const listed = await readEnvelope<{ tasks: unknown[] }>(await fetch(`${busy.url}/api/charts/tasks`, { headers: asTokenAlice }));
      assert.deepEqual(listed.data?.tasks, [], "a token with sub alice sees none of the key owner alice's tasks");
    });

    it('refuses every loopback form of callbackUrl at submission, naming the field; the listener receives nothing', async () => {
      const forms = ['127.0.0.1', 'localhost', '[::ffff:127.0.0.1]', '2130706433', '0x7f.1', '0', '127.1', '0177.0.0.1', '[::1]', 'localhost.'];
      for (const host of forms) {
        const answer = await submit(busy, 'bob', { ...chart(5), callbackUrl: `http://${host}:${listenerPort}/hook` });
        const envelope = await expectProblem(answer, { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
        assert.match(envelope.msg, /^callbackUrl .*farm's own network/, host);
        assert.deepEqual(envelope.error?.details, { field: 'callbackUrl' });
      }
      const batch = await postJson(
        `${busy.url}/api/charts/batch`,
        { charts: [chart(6), { ...chart(7), callbackUrl: `http://0x7f.1:${listenerPort}/hook` }] },
        as('bob'),
      );
      await expectProblem(batch, { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
      const bobsTasks = await readEnvelope<{ tasks: { option?: unknown }[] }>(await fetch(`${busy.url}/api/charts/tasks?limit=100`, { headers: as('bob') }));
      assert.equal(bobsTasks.data?.tasks.length, 2, 'only the two tasks of the tests above: no refused one was queued');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(listenerHits, 0);
    });

    it('refuses private, link-local, unique-local and mapped callback addresses by the answer alone', async () => {
      for (const url of ['http://10.0.0.8/hook', 'http://192.168.1.20/hook', 'http://172.20.0.1/hook', 'http://169.254.169.254/latest', 'http://[fe80::1]/hook', 'http://[fd00::5]/hook', 'http://[::ffff:10.0.0.8]/hook', 'http://[::]/hook']) {
        const envelope = await expectProblem(await submit(idle, 'bob', { ...chart(8), callbackUrl: url }), { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
        assert.match(envelope.msg, /callbackUrl .*(private|link-local|unique-local|IPv4-mapped|unspecified)/, url);
      }
    });

    it('holds an owner to its maxPending with 429 QUOTA_EXCEEDED and Retry-After, and not the others', async () => {
      const accepted = [];
      for (let index = 0; index < 3; index += 1) accepted.push((await submit(idle, 'alice', chart(10 + index))).status);
      // One of alice's pending tasks is from the scopes test above when it ran first: count what she holds.
      const held = (await readEnvelope<{ pendingTasks: number }>(await fetch(`${idle.url}/api/system/queue-status`, { headers: as('alice') }))).data!.pendingTasks;
      assert.equal(held, 3, `accepted ${JSON.stringify(accepted)}`);
      const refused = await submit(idle, 'alice', chart(20));
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      await expectProblem(refused, { status: 429, type: 'VALIDATION_ERROR', reason: 'QUOTA_EXCEEDED' });
      const batch = await postJson(`${idle.url}/api/charts/batch`, { charts: [chart(21)] }, as('alice'));
      await expectProblem(batch, { status: 429, type: 'VALIDATION_ERROR', reason: 'QUOTA_EXCEEDED' });
      assert.equal((await submit(idle, 'bob', chart(22))).status, 202, 'another owner is not held back');
    });

    it('holds an owner to its maxPending across two API instances on one backend', async () => {
      const pair = await backend.openPair();
      queues.push(...new Set(pair));
      const apps = [
        await startTestServer(undefined, tenantConfig(), { tasks: { queue: pair[0], accepting: () => true } }),
        await startTestServer(undefined, tenantConfig(), { tasks: { queue: pair[1], accepting: () => true } }),
      ] as const;
      try {
        assert.deepEqual([(await submit(apps[0], 'alice', chart(30))).status, (await submit(apps[1], 'alice', chart(31))).status, (await submit(apps[0], 'alice', chart(32))).status], [202, 202, 202]);
        await expectProblem(await submit(apps[1], 'alice', chart(33)), { status: 429, type: 'VALIDATION_ERROR', reason: 'QUOTA_EXCEEDED' });
        await expectProblem(await submit(apps[0], 'alice', chart(34)), { status: 429, type: 'VALIDATION_ERROR', reason: 'QUOTA_EXCEEDED' });
      } finally {
        for (const app of apps) await app.close();
      }
    });

    it('counts charts against the rate limit, across two API instances on one backend', async () => {
      const queue = await backend.open();
      queues.push(queue);
      const config = tenantConfig({ rateLimitPerMinute: 10 });
      const tasks = { queue, accepting: () => true };
      // Redis: two instances with their own connections share the count. Memory keeps one process's
      // count, so its "two instances" are one app.
      const firstApp = await startTestServer(undefined, config, { tasks, rateLimiter: backend.limiter() });
      const secondApp = backend.name === 'redis' ? await startTestServer(undefined, config, { tasks, rateLimiter: backend.limiter() }) : firstApp;
      try {
        const batchOf = (count: number) => ({ charts: Array.from({ length: count }, (_, index) => chart(100 + index)) });
        assert.equal((await postJson(`${firstApp.url}/api/charts/batch`, batchOf(6), as('bob'))).status, 202);
        assert.equal((await submit(secondApp, 'bob', chart(200))).status, 202);
        assert.equal((await postJson(`${secondApp.url}/api/charts/batch`, batchOf(3), as('bob'))).status, 202, '6 + 1 + 3 = 10 charts');
        const refused = await submit(firstApp, 'bob', chart(201));
        await expectProblem(refused, { status: 429, type: 'VALIDATION_ERROR', reason: 'RATE_LIMITED' });
        assert.ok(Number(refused.headers.get('retry-after')) >= 1);
        await expectProblem(await postJson(`${secondApp.url}/api/charts/batch`, batchOf(1), as('bob')), { status: 429, type: 'VALIDATION_ERROR', reason: 'RATE_LIMITED' });
        assert.equal((await submit(secondApp, 'alice', chart(202))).status, 202, 'another owner has a count of its own');
      } finally {
        await firstApp.close();
        if (secondApp !== firstApp) await secondApp.close();
      }
    });
  });
}
