/**
 * The views of a farm spread over processes, right after a worker stops: one `api` and two
 * `worker` processes on a real Redis. A worker stopped with SIGTERM deregisters and leaves
 * /api/system/workers at once; one SIGKILLed stays until its heartbeat is older than
 * WORKER_LIVENESS_MS (short here), then drops out. A worker's own listener (WORKER_HTTP_PORT)
 * answers the probes and exports its pool and the farm's live workers to Prometheus.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { WorkerInfo } from '../../tasks/task-queue.js';
import { startFarmProcess, type FarmProcess } from '../helpers/farm-process.js';
import { readEnvelope } from '../helpers/http.js';
import { deleteKeysBelow, TEST_REDIS_URL } from '../helpers/redis.js';

const LIVENESS_MS = 3_000;
const prefix = `farm-views-${randomUUID().slice(0, 8)}`;
const env = {
  REDIS_URL: TEST_REDIS_URL,
  QUEUE_PREFIX: prefix,
  LOCAL_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'farm-views-')),
  WORKER_LIVENESS_MS: String(LIVENESS_MS),
  WORKER_HTTP_PORT: '0',
  SHUTDOWN_GRACE_MS: '2000',
};

let api: FarmProcess;
const workers: FarmProcess[] = [];

async function liveWorkers(): Promise<WorkerInfo[]> {
  return (await readEnvelope<{ workers: WorkerInfo[] }>(await fetch(`${api.url}/api/system/workers`))).data!.workers;
}

/** The value of one unlabelled sample of a Prometheus exposition. */
async function gauge(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  assert.ok(line, `${name} in the exposition of ${url}`);
  return Number(line.split(' ')[1]);
}

const pidOf = (worker: FarmProcess) => worker.child.pid!;

describe('pool and worker views as workers stop', () => {
  before(async () => {
    api = await startFarmProcess('api', env);
    workers.push(...(await Promise.all([startFarmProcess('worker', env), startFarmProcess('worker', env)])));
  });

  after(async () => {
    await Promise.all([api, ...workers].map((farm) => farm?.stop('SIGKILL')));
    const client = new Redis(TEST_REDIS_URL);
    await deleteKeysBelow(client, prefix);
    client.disconnect();
  });

  it('lists both workers with id, host, pid, concurrency, counters and heartbeat', async () => {
    const listed = await liveWorkers();
    assert.deepEqual(listed.map((worker) => worker.pid).sort(), workers.map(pidOf).sort());
    for (const worker of listed) {
      assert.match(worker.workerId, new RegExp(`:${worker.pid}$`));
      assert.ok(worker.host.length > 0);
      assert.equal(worker.concurrency, 10);
      assert.equal(worker.processed, 0);
      assert.ok(Date.now() - Date.parse(worker.lastHeartbeat) <= LIVENESS_MS);
    }
    assert.equal(await gauge(api.url, 'echarts_farm_workers_live'), 2);
    assert.equal(await gauge(api.url, 'echarts_farm_workers_capacity'), 20);
  });

  it("answers a worker's probes and exports its pool on WORKER_HTTP_PORT", async () => {
    const worker = workers[0]!;
    assert.ok(worker.url.startsWith('http://127.0.0.1:'), 'the worker logged its port');
    assert.equal((await fetch(`${worker.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${worker.url}/readyz`)).status, 200);
    // One browser (the test farm's POOL_BROWSERS) with the default two pages.
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    assert.match(metrics, /^echarts_farm_pool\{state="pages"\} 2$/m);
    assert.match(metrics, /^echarts_farm_pool\{state="idle"\} 2$/m);
    assert.equal((await fetch(`${worker.url}/api/system/workers`)).status, 404, 'a worker is not a second API');
    // The API has no pool of its own: its pool view says so instead of showing zeros.
    assert.equal((await fetch(`${api.url}/api/system/pool`)).status, 404);
  });

  it('drops a worker stopped with SIGTERM at once', async () => {
    const [stopped, running] = workers as [FarmProcess, FarmProcess];
    assert.equal(await stopped.stop('SIGTERM'), 0);
    assert.deepEqual((await liveWorkers()).map((worker) => worker.pid), [pidOf(running)]);
  });

  it('keeps a SIGKILLed worker until it has been silent for WORKER_LIVENESS_MS, then drops it', async () => {
    const killed = workers[1]!;
    await killed.stop('SIGKILL');
    const killedAt = Date.now();
    const lastHeartbeat = Date.parse((await liveWorkers()).find((worker) => worker.pid === pidOf(killed))?.lastHeartbeat ?? 'none');
    assert.ok(Number.isFinite(lastHeartbeat), 'listed right after the kill: its last heartbeat is recent');
    while ((await liveWorkers()).length > 0) {
      assert.ok(Date.now() - killedAt < LIVENESS_MS + 2_000, 'dropped within the liveness window');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(Date.now() - lastHeartbeat >= LIVENESS_MS, 'not before its heartbeat was older than the window');
    assert.equal(await gauge(api.url, 'echarts_farm_workers_live'), 0);
  });
});
