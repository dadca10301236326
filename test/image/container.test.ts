/**
 * The farm's image as a user runs it (`npm run image:test` builds it first): it gets ready, renders
 * the shared corpus pixel for pixel as the farm on the host does under the same render fingerprint,
 * runs as a non-root user that can write /app/data, passes its own health check, and its `api` and
 * `worker` roles work through the host's Redis, with a worker that `podman stop` ends with exit 0
 * within its grace period and no task lost. Host network, loopback addresses only.
 * Figures (start to ready, first render) go to IMAGE_TEST_FIGURES when set.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { fingerprintDifferences, installedFonts, type RenderFingerprint } from '../../renderer/fingerprint.js';
import type { TaskView } from '../../tasks/task-view.js';
import { corpusEntries, corpusMapsDir, corpusOption } from '../helpers/corpus.js';
import { startFarmProcess, type FarmProcess } from '../helpers/farm-process.js';
import { postJson, readEnvelope } from '../helpers/http.js';
import { differingPixels } from '../helpers/pixels.js';
import { deleteKeysBelow, TEST_REDIS_URL } from '../helpers/redis.js';
import { exec, FARM_IMAGE, freePort, logsOf, podman, removeContainers, startContainer } from './podman.js';
import { waitUntil } from '../helpers/wait.js';

/** Names every container of this run (image-test.sh removes what a failed run may leave). */
const run = process.env.IMAGE_TEST_RUN ?? randomUUID().slice(0, 8);
const containers: string[] = [];
const figures: Record<string, number | string> = { image: FARM_IMAGE };
/** The farm closes for SHUTDOWN_GRACE_MS and forces its exit 15 s later: podman waits past both. */
const GRACE_MS = 20_000;
const STOP_TIMEOUT_S = GRACE_MS / 1000 + 20;

const named = (role: string): string => {
  const name = `farm-image-test-${run}-${role}`;
  containers.push(name);
  return name;
};

const ready = (url: string): Promise<true | undefined> => fetch(`${url}/readyz`).then((response) => (response.ok ? true : undefined));

/** Waits for the container's /readyz; fails at once, with its log, when the container has ended. */
async function containerReady(name: string, url: string): Promise<void> {
  await waitUntil(`${name} to be ready`, async () => {
    if (await ready(url).catch(() => undefined)) return true;
    const state = await podman(['inspect', '--format', '{{.State.Running}}', name]);
    if (state.stdout.trim() !== 'true') throw new Error(`${name} ended before it was ready:\n${await logsOf(name)}`);
    return undefined;
  }, 180_000).catch(async (error: unknown) => {
    throw new Error(`${String(error)}\n${await logsOf(name)}`);
  });
}

async function fingerprintOf(url: string): Promise<RenderFingerprint> {
  return (await readEnvelope<{ fingerprint: RenderFingerprint }>(await fetch(`${url}/api/system/info`))).data!.fingerprint;
}

async function renderPng(url: string, body: Record<string, unknown>): Promise<Buffer> {
  const response = await postJson(`${url}/api/charts/generate?async=false`, { type: 'png', ...body });
  assert.equal(response.status, 200, await response.clone().text());
  return Buffer.from(await response.arrayBuffer());
}

/** A folder the image's user may write: mounted over /app/data. */
async function dataFolderFor(name: string): Promise<string> {
  const ids = await podman(['run', '--rm', '--network', 'none', '--entrypoint', 'id', FARM_IMAGE, '-u']);
  const gid = await podman(['run', '--rm', '--network', 'none', '--entrypoint', 'id', FARM_IMAGE, '-g']);
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  chownSync(dir, Number(ids.stdout.trim()), Number(gid.stdout.trim()));
  return dir;
}

after(async () => {
  await removeContainers(containers);
  if (process.env.IMAGE_TEST_FIGURES) writeFileSync(process.env.IMAGE_TEST_FIGURES, `${JSON.stringify(figures, null, 2)}\n`);
});

describe(`the image ${FARM_IMAGE}, role serve`, () => {
  const name = named('serve');
  const mapsDir = corpusMapsDir();
  // Read by the image's own user too.
  chmodSync(mapsDir, 0o755);
  const env = { ALLOW_FUNCTIONS: 'true', RESULT_CACHE: 'false' };
  let host: FarmProcess;
  let url: string;

  before(async () => {
    const [port, workerPort] = [await freePort(), await freePort()];
    url = `http://127.0.0.1:${port}`;
    const started = Date.now();
    await startContainer({
      name,
      role: 'serve',
      env: { ...env, PORT: String(port), WORKER_HTTP_PORT: String(workerPort), POOL_BROWSERS: '1', MAPS_DIR: '/maps' },
      volumes: { [mapsDir]: '/maps:ro' },
    });
    // The host farm starts meanwhile; its own start is not counted.
    host = await startFarmProcess('serve', { ...env, MAPS_DIR: mapsDir }, 180_000);
    await containerReady(name, url);
    figures.startToReadyMs = Date.now() - started;
  });
  after(async () => {
    await removeContainers([name]);
    await host?.stop();
  });

  it('answers /readyz with 200 (a canary render in its pool)', async () => {
    assert.equal((await fetch(`${url}/readyz`)).status, 200);
  });

  it('runs under the render fingerprint of the host farm', async () => {
    const [inside, outside] = [await fingerprintOf(url), await fingerprintOf(host.url)];
    figures.fingerprint = inside.hash;
    const differs = fingerprintDifferences(inside, outside);
    let detail = '';
    if (differs.includes('fonts')) {
      const hostFonts = new Set((await installedFonts()) ?? []);
      const listed = await exec(name, ['fc-list', '--format', '%{file}|%{index}|%{family}\\n']);
      const imageFonts = new Set(listed.stdout.split('\n').filter(Boolean));
      detail = `\nonly on the host: ${[...hostFonts].filter((font) => !imageFonts.has(font)).join(', ')}` +
        `\nonly in the image: ${[...imageFonts].filter((font) => !hostFonts.has(font)).join(', ')}`;
    }
    assert.deepEqual(differs, [], `image ${inside.hash}, host ${outside.hash}: ${differs.map((part) => `${part} ${JSON.stringify(inside[part])} vs ${JSON.stringify(outside[part])}`).join('; ')}${detail}`);
    assert.equal(inside.hash, outside.hash);
  });

  it('renders every chart of the shared corpus pixel for pixel as the host farm does', async () => {
    const differing: string[] = [];
    let first = true;
    for (const entry of corpusEntries()) {
      const body = { option: corpusOption(entry), ...entry.size };
      const started = Date.now();
      const inside = await renderPng(url, body);
      if (first) figures.firstRenderMs = Date.now() - started;
      first = false;
      const outside = await renderPng(host.url, body);
      const pixels = differingPixels(inside, outside);
      if (pixels !== 0) differing.push(`${entry.name}: ${pixels === -1 ? 'another size' : `${pixels} pixels`}`);
    }
    figures.corpusCharts = corpusEntries().length;
    assert.deepEqual(differing, []);
  });

  it('runs as a non-root user that can write /app/data, and only there in /app', async () => {
    const user = await exec(name, ['id', '-un']);
    assert.equal(user.stdout.trim(), 'farm');
    assert.notEqual((await exec(name, ['id', '-u'])).stdout.trim(), '0');
    assert.equal((await exec(name, ['sh', '-c', 'echo ok > /app/data/.write-check && cat /app/data/.write-check && rm /app/data/.write-check'])).stdout.trim(), 'ok');
    assert.notEqual((await exec(name, ['sh', '-c', 'touch /app/dist/.write-check'])).code, 0, 'the code is read-only for the farm user');
  });

  it("passes the image's own health check", async () => {
    const check = await podman(['healthcheck', 'run', name]);
    assert.equal(check.code, 0, `${check.stdout}${check.stderr}`);
  });
});

describe(`the image ${FARM_IMAGE}, roles api and worker on the host's Redis`, () => {
  const prefix = `farm-image-test-${run}`;
  const names = { api: named('api'), worker: named('worker'), second: named('worker-2') };
  let apiUrl: string;
  let dataDir: string;
  let env: Record<string, string>;

  const statusOf = async (taskId: string): Promise<TaskView> =>
    (await readEnvelope<TaskView>(await fetch(`${apiUrl}/api/charts/status/${taskId}`))).data!;

  /** A worker: its probe port answers /readyz once its pool rendered the canary. */
  async function startWorker(name: string): Promise<void> {
    const [port, probePort] = [await freePort(), await freePort()];
    await startContainer({ name, role: 'worker', env: { ...env, PORT: String(port), WORKER_HTTP_PORT: String(probePort) }, volumes: { [dataDir]: '/app/data' } });
    await containerReady(name, `http://127.0.0.1:${probePort}`);
  }

  before(async () => {
    dataDir = await dataFolderFor(prefix);
    env = {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      POOL_BROWSERS: '1',
      RESULT_CACHE: 'false',
      QUEUE_MAX_CONCURRENT: '2',
      RENDER_FINISHED_WAIT_MS: '2500',
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
    };
    const [port, probePort] = [await freePort(), await freePort()];
    apiUrl = `http://127.0.0.1:${port}`;
    await startContainer({ name: names.api, role: 'api', env: { ...env, PORT: String(port), WORKER_HTTP_PORT: String(probePort) }, volumes: { [dataDir]: '/app/data' } });
    await containerReady(names.api, apiUrl);
    await startWorker(names.worker);
  });

  after(async () => {
    await removeContainers(Object.values(names));
    const redis = new Redis(TEST_REDIS_URL);
    await deleteKeysBelow(redis, prefix);
    redis.disconnect();
  });

  it('renders a task submitted to the api container in the worker container, and the api serves its image', async () => {
    const response = await postJson(`${apiUrl}/api/charts/generate`, { option: { xAxis: { data: ['a', 'b'] }, yAxis: {}, series: [{ type: 'bar', data: [3, 5] }] }, width: 200, height: 120 });
    assert.equal(response.status, 202, await response.clone().text());
    const { taskId } = (await readEnvelope<{ taskId: string }>(response)).data!;
    const done = await waitUntil('the task to complete', async () => {
      const task = await statusOf(taskId);
      return task.status === 'completed' ? task : undefined;
    });
    const image = await fetch(`${apiUrl}/api/images/${done.taskId}`);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/png');
  });

  it('stops a busy worker with `podman stop`: exit 0 within the grace period, and no task lost', async () => {
    const slow = { xAxis: {}, yAxis: {}, series: [{ type: 'effectScatter', data: [[1, 2]] }] };
    const quick = (i: number) => ({ xAxis: { data: ['a', 'b', 'c'] }, yAxis: {}, series: [{ type: 'bar', data: [i % 7, i % 5, i % 3] }] });
    const response = await postJson(`${apiUrl}/api/charts/batch`, {
      charts: [...Array.from({ length: 3 }, () => ({ option: slow, width: 200, height: 120 })), ...Array.from({ length: 12 }, (_, i) => ({ option: quick(i), width: 160, height: 120 }))],
    });
    assert.equal(response.status, 202, await response.clone().text());
    const ids = (await readEnvelope<{ tasks: TaskView[] }>(response)).data!.tasks.map((task) => task.taskId);
    await waitUntil('a task to run', async () => ((await Promise.all(ids.map(statusOf))).some((task) => task.status === 'processing') ? true : undefined));

    const started = Date.now();
    const stopped = await podman(['stop', '-t', String(STOP_TIMEOUT_S), names.worker], (STOP_TIMEOUT_S + 30) * 1000);
    const stopMs = Date.now() - started;
    figures.stopMs = stopMs;
    assert.equal(stopped.code, 0, stopped.stderr);
    const exitCode = (await podman(['inspect', '--format', '{{.State.ExitCode}}', names.worker])).stdout.trim();
    assert.equal(exitCode, '0', await logsOf(names.worker));
    assert.ok(stopMs < GRACE_MS + 15_000, `stopped after ${stopMs} ms, within SHUTDOWN_GRACE_MS and before the forced exit`);

    await startWorker(names.second);
    const tasks = await waitUntil('every task to end', async () => {
      const all = await Promise.all(ids.map(statusOf));
      return all.every((task) => ['completed', 'failed', 'cancelled'].includes(task.status)) ? all : undefined;
    }, 180_000);
    assert.deepEqual([...new Set(tasks.map((task) => task.status))], ['completed']);
  });
});
