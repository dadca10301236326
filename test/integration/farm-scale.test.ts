/**
 * The farm spread over processes as operators run it: one `api` and two `worker` processes sharing
 * a real Redis (a prefix of their own). Every task is done exactly once; a worker SIGKILLed mid-task
 * loses nothing; a worker and the API stopped with SIGTERM under load lose nothing either.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { TaskView } from '../../tasks/task-view.js';
import { startFarmProcess, type FarmProcess } from '../helpers/farm-process.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';
import { postJson, readEnvelope } from '../helpers/http.js';
import { waitUntil } from '../helpers/wait.js';

const REDIS_URL = TEST_REDIS_URL;
const prefix = `farm-test-${randomUUID().slice(0, 8)}`;
const env = {
  REDIS_URL,
  QUEUE_PREFIX: prefix,
  LOCAL_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'farm-scale-')),
  RESULT_CACHE: 'false',
  QUEUE_STALL_TIMEOUT_MS: '2000',
  QUEUE_MAX_CONCURRENT: '2',
  QUEUE_RETRY_BACKOFF_MS: '100',
  RENDER_FINISHED_WAIT_MS: '2500',
  SHUTDOWN_GRACE_MS: '20000',
};
/** An effect scatter never reports `finished`: each render takes RENDER_FINISHED_WAIT_MS. */
const SLOW = { xAxis: {}, yAxis: {}, series: [{ type: 'effectScatter', data: [[1, 2]] }] };
const quick = (i: number) => ({ xAxis: { data: ['a', 'b', 'c'] }, yAxis: {}, series: [{ type: 'bar', data: [i % 7, i % 5, i % 3] }] });

let api: FarmProcess;
const workers: FarmProcess[] = [];

async function submitBatch(charts: unknown[]): Promise<string[]> {
  const response = await postJson(`${api.url}/api/charts/batch`, { charts });
  assert.equal(response.status, 202, await response.clone().text());
  return (await readEnvelope<{ tasks: TaskView[] }>(response)).data!.tasks.map((task) => task.taskId);
}

async function statusOf(taskId: string): Promise<TaskView> {
  return (await readEnvelope<TaskView>(await fetch(`${api.url}/api/charts/status/${taskId}`))).data!;
}

/** taskId → how many times a worker logged it ending, with which status. */
function endings(): Map<string, string[]> {
  const ended = new Map<string, string[]>();
  for (const worker of workers) {
    for (const entry of worker.logs) {
      if (entry.msg !== 'task ended') continue;
      const taskId = entry.taskId as string;
      ended.set(taskId, [...(ended.get(taskId) ?? []), entry.status as string]);
    }
  }
  return ended;
}

function workerHolding(task: TaskView & { workerId?: string }): FarmProcess | undefined {
  return workers.find((worker) => task.workerId?.endsWith(`:${worker.child.pid}`));
}

describe('api + two workers on one Redis', () => {
  before(async () => {
    api = await startFarmProcess('api', env);
    workers.push(...(await Promise.all([startFarmProcess('worker', env), startFarmProcess('worker', env)])));
  });

  after(async () => {
    await Promise.all([api, ...workers].map((process) => process?.stop('SIGKILL')));
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('completes 200 tasks, each exactly once, spread over both workers', async () => {
    const ids = [...(await submitBatch(Array.from({ length: 100 }, (_, i) => ({ option: quick(i), width: 160, height: 120 })))),
      ...(await submitBatch(Array.from({ length: 100 }, (_, i) => ({ option: quick(i + 100), width: 160, height: 120 }))))];
    assert.equal(new Set(ids).size, 200);
    await waitUntil('200 completed tasks', async () => {
      const status = (await readEnvelope<{ completedTasks: number }>(await fetch(`${api.url}/api/system/queue-status`))).data!;
      return status.completedTasks >= 200 ? status : undefined;
    });
    for (const id of ids) assert.equal((await statusOf(id)).status, 'completed', id);
    const ended = await waitUntil('every ending logged', async () => {
      const seen = endings();
      return ids.every((id) => seen.has(id)) ? seen : undefined;
    }, 10_000);
    for (const id of ids) assert.deepEqual(ended.get(id), ['completed'], `task ${id} ended once`);
    const perWorker = workers.map((worker) => worker.logs.filter((entry) => entry.msg === 'task ended').length);
    assert.ok(perWorker.every((count) => count > 0), `both workers worked: ${perWorker}`);
    const listed = (await readEnvelope<{ workers: { pid: number }[] }>(await fetch(`${api.url}/api/system/workers`))).data!.workers;
    assert.deepEqual(listed.map((worker) => worker.pid).sort(), workers.map((worker) => worker.child.pid).sort());
  });

  it('hands the task of a SIGKILLed worker to the other, which completes it', async () => {
    const [taskId] = await submitBatch([{ option: SLOW, width: 200, height: 120 }]);
    const running = await waitUntil('the task to run', async () => {
      const task = (await statusOf(taskId!)) as TaskView & { workerId?: string };
      return task.status === 'processing' ? task : undefined;
    });
    const victim = workerHolding(running);
    assert.ok(victim, `a worker holds it (${running.workerId})`);
    victim.child.kill('SIGKILL');
    await victim.exited;
    const done = (await waitUntil('the task to complete elsewhere', async () => {
      const task = await statusOf(taskId!);
      return task.status === 'completed' ? task : undefined;
    }, 60_000)) as TaskView & { workerId?: string };
    assert.notEqual(done.workerId, running.workerId);
    workers.splice(workers.indexOf(victim), 1);
    workers.push(await startFarmProcess('worker', env));
  });

  it('loses no task when a worker is stopped with SIGTERM under load', async () => {
    const ids = await submitBatch([
      ...Array.from({ length: 4 }, () => ({ option: SLOW, width: 200, height: 120 })),
      ...Array.from({ length: 30 }, (_, i) => ({ option: quick(i + 500), width: 160, height: 120 })),
    ]);
    const running = await waitUntil('a running task', async () => {
      for (const id of ids) {
        const task = (await statusOf(id)) as TaskView & { workerId?: string };
        if (task.status === 'processing' && workerHolding(task)) return task;
      }
      return undefined;
    });
    const stopping = workerHolding(running)!;
    stopping.child.kill('SIGTERM');
    assert.equal(await stopping.exited, 0);
    workers.splice(workers.indexOf(stopping), 1);
    await waitUntil('every task to end', async () => {
      const tasks = await Promise.all(ids.map(statusOf));
      return tasks.every((task) => task.status === 'completed' || task.status === 'failed' || task.status === 'cancelled') ? tasks : undefined;
    });
    const statuses = await Promise.all(ids.map(async (id) => (await statusOf(id)).status));
    assert.deepEqual([...new Set(statuses)], ['completed']);
  });

  it('makes the API refuse new tasks on SIGTERM and exit 0, tasks left in Redis', async () => {
    api.child.kill('SIGTERM');
    // The signal is handled asynchronously: a task posted before the API logs its shutdown may still be taken.
    await waitUntil('the API to log its shutdown', async () => api.logs.find((entry) => String(entry.msg).startsWith('shutting down')));
    // Once it has, a new task meets either a 503 or a listener already closed: never a 202.
    const refused = await postJson(`${api.url}/api/charts/generate`, { option: quick(1) }).catch(() => undefined);
    if (refused) assert.equal(refused.status, 503);
    assert.equal(await api.exited, 0);
  });
});
