/**
 * Admission by pressure: `GET /pressure` as JSON and as plain text, and synchronous renders refused
 * with 503 OVERLOADED and Retry-After while the host has less memory available than
 * ADMISSION_MIN_FREE_MEMORY_MB (set above what this machine has), with real Chromium and a real queue.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PressureGauge, readMemory, type PressureReading } from '../../server/admission-pressure.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import { configWith } from '../../config/load-config.js';
import { expectProblem, postJson, readEnvelope, startHttpTestRenderer, startTestServer, type TestServer } from '../helpers/http.js';
import { BAR_OPTION } from '../helpers/renderer.js';

/** More memory than any host of this project has (16 TiB), so the rule must refuse. */
const UNREACHABLE_FREE_MB = 16 * 1024 * 1024;

let renderer: ChartRenderer;
let calm: TestServer;
let starved: TestServer;
let full: TestServer;

before(async () => {
  renderer = await startHttpTestRenderer();
  const tasks = () => ({ queue: new MemoryTaskQueue(), accepting: () => true });
  calm = await startTestServer(renderer, { admissionMinFreeMemoryMb: 1 }, { tasks: tasks() });
  starved = await startTestServer(renderer, { admissionMinFreeMemoryMb: UNREACHABLE_FREE_MB }, { tasks: tasks() });
  full = await startTestServer(renderer, { queueMaxPending: 1 }, { tasks: tasks() });
});

after(async () => {
  await Promise.all([calm, starved, full].map((server) => server?.close()));
  await renderer?.close();
});

const plain = (url: string) => fetch(`${url}/pressure`, { headers: { accept: 'text/plain' } });

describe('GET /pressure', () => {
  it('says an instance with room accepts work, with its queue, pool, memory and CPU figures', async () => {
    await postJson(`${calm.url}/api/charts/generate`, { option: BAR_OPTION });
    await postJson(`${calm.url}/api/charts/generate`, { option: BAR_OPTION, width: 300 });
    const response = await fetch(`${calm.url}/pressure`);
    assert.equal(response.status, 200);
    const reading = (await readEnvelope<PressureReading>(response)).data!;
    assert.equal(reading.accepting, true);
    assert.equal(reading.reason, null);
    assert.deepEqual({ pending: reading.pending, running: reading.running, pages: reading.pages }, { pending: 2, running: 0, pages: 2 });
    assert.ok(reading.memory.availableMb > 0 && reading.memory.availableMb <= reading.memory.totalMb, JSON.stringify(reading.memory));
    assert.equal(reading.memory.minFreeMb, 1);
    assert.ok(reading.cpu.cores >= 1 && reading.cpu.headroom >= 0 && reading.cpu.headroom <= 1);

    const text = await plain(calm.url);
    assert.equal(text.status, 200);
    assert.equal(await text.text(), 'ok\n');
  });

  it('answers 503 OVERLOADED, in JSON and in plain text, while memory is below the minimum', async () => {
    const response = await fetch(`${starved.url}/pressure`);
    const problem = await expectProblem(response, { status: 503, type: 'SYSTEM_ERROR', reason: 'OVERLOADED' });
    assert.equal(response.headers.get('retry-after'), '5');
    const details = problem.error!.details as unknown as PressureReading;
    assert.equal(details.accepting, false);
    assert.match(details.reason ?? '', /^memory: \d+ MiB available, below ADMISSION_MIN_FREE_MEMORY_MB=16777216$/);

    const text = await plain(starved.url);
    assert.equal(text.status, 503);
    assert.match(await text.text(), /^overloaded: memory: /);
  });

  it('answers 503 QUEUE_FULL when the queue holds QUEUE_MAX_PENDING tasks', async () => {
    assert.equal((await plain(full.url)).status, 200);
    assert.equal((await postJson(`${full.url}/api/charts/generate`, { option: BAR_OPTION })).status, 202);
    await expectProblem(await fetch(`${full.url}/pressure`), { status: 503, type: 'SYSTEM_ERROR', reason: 'QUEUE_FULL' });
  });
});

describe('ADMISSION_MIN_FREE_MEMORY_MB', () => {
  it('refuses synchronous renders and exports with 503 OVERLOADED and Retry-After, and still queues tasks', async () => {
    const sync = await postJson(`${starved.url}/api/charts/generate?async=false`, { option: BAR_OPTION });
    const problem = await expectProblem(sync, { status: 503, type: 'SYSTEM_ERROR', reason: 'OVERLOADED' });
    assert.equal(sync.headers.get('retry-after'), '5');
    assert.match(problem.msg, /below ADMISSION_MIN_FREE_MEMORY_MB=16777216/);

    const legacy = await postJson(`${starved.url}/`, { option: BAR_OPTION });
    await expectProblem(legacy, { status: 503, type: 'SYSTEM_ERROR', reason: 'OVERLOADED' });

    const exported = await postJson(`${starved.url}/api/charts/export?async=false`, { format: 'zip', partial: true, charts: [{ option: BAR_OPTION }] });
    await expectProblem(exported, { status: 503, type: 'SYSTEM_ERROR', reason: 'OVERLOADED' });

    assert.equal((await postJson(`${starved.url}/api/charts/generate`, { option: BAR_OPTION })).status, 202, 'a queued task waits in the queue, not in memory');
    const rendered = await postJson(`${calm.url}/api/charts/generate?async=false`, { option: BAR_OPTION });
    assert.equal(rendered.status, 200, 'the same render is served where memory suffices');
  });

  it('reads nothing when the rule is off, and compares MiB available with the minimum when on', () => {
    let reads = 0;
    const memory = (availableMb: number) => () => {
      reads += 1;
      return { availableBytes: availableMb * 1024 * 1024, totalBytes: 8192 * 1024 * 1024, source: 'host' as const };
    };
    const gauge = (minFreeMb: number, availableMb: number) =>
      new PressureGauge({ config: configWith({ admissionMinFreeMemoryMb: minFreeMb }), memory: memory(availableMb) });
    gauge(0, 10).admitRender();
    assert.equal(reads, 0);
    gauge(512, 512).admitRender();
    assert.throws(() => gauge(512, 511).admitRender(), { reason: 'OVERLOADED' });
    const real = readMemory();
    assert.ok(real.availableBytes > 0 && real.availableBytes <= real.totalBytes);
  });
});
