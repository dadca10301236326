/** `echarts-farm serve` as operators run it: a real process, real HTTP, a graceful SIGTERM. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TaskView } from '../../tasks/task-view.js';
import { startFarmProcess, type FarmProcess } from '../helpers/farm-process.js';
import { postJson, readEnvelope } from '../helpers/http.js';
import { decodePng } from '../helpers/pixels.js';
import { BAR_OPTION } from '../helpers/renderer.js';

describe('echarts-farm serve', () => {
  let farm: FarmProcess;
  before(async () => {
    farm = await startFarmProcess('serve', { LOCAL_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'farm-serve-')), SHUTDOWN_GRACE_MS: '20000' });
  });
  after(() => farm?.stop('SIGKILL'));

  it('renders synchronously and through a task with the embedded defaults', async () => {
    const sync = await postJson(`${farm.url}/api/charts/generate?async=false`, { option: BAR_OPTION, width: 200, height: 100 });
    assert.equal(sync.status, 200);
    assert.equal(decodePng(Buffer.from(await sync.arrayBuffer())).width, 200);
    const queued = (await readEnvelope<TaskView>(await postJson(`${farm.url}/api/charts/generate`, { option: BAR_OPTION }))).data!;
    const events = await (await fetch(`${farm.url}/api/charts/events/${queued.taskId}`)).text();
    assert.match(events, /"status":"completed"/);
    const image = await fetch(`${farm.url}/api/images/${queued.taskId}`);
    assert.equal(decodePng(Buffer.from(await image.arrayBuffer())).width, 600);
  });

  it('on SIGTERM refuses new tasks, finishes the running ones and exits 0', async () => {
    const slow = { xAxis: {}, yAxis: {}, series: [{ type: 'effectScatter', data: [[1, 2]] }] };
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await readEnvelope<TaskView>(await postJson(`${farm.url}/api/charts/generate`, { option: slow }))).data!.taskId);
    // The effect never finishes: each render takes the finished wait (5 s), so all three are running.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const streams = await Promise.all(ids.map((id) => fetch(`${farm.url}/api/charts/events/${id}`)));
    farm.child.kill('SIGTERM');
    const watches = streams.map((stream) => stream.text());
    // The signal is handled asynchronously: ask for a new task once the farm says it is stopping.
    while (!farm.logs.some((entry) => String(entry.msg).startsWith('shutting down'))) await new Promise((resolve) => setTimeout(resolve, 20));
    const refused = await postJson(`${farm.url}/api/charts/generate`, { option: BAR_OPTION }).catch(() => undefined);
    if (refused) assert.equal(refused.status, 503);
    for (const events of await Promise.all(watches)) assert.match(events, /"status":"completed"/);
    assert.equal(await farm.exited, 0);
    assert.ok(farm.logs.some((entry) => entry.msg === 'stopped'));
  });
});
