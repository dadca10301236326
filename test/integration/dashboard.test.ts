/**
 * The /dashboard page in Debian's Chromium (driven by Playwright) against a farm with a real
 * renderer, the memory queue and the local store: it loads under its own CSP without an error,
 * its numbers follow the tasks submitted over HTTP, completed tasks show their thumbnails (a PDF
 * its type) and a failed task its error, as text.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, expect, type Browser, type Page } from '@playwright/test';
import { configWith } from '../../config/load-config.js';
import { consumerOptions, taskHandler } from '../../farm/task-system.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { locateChromium } from '../../renderer/locate-chromium.js';
import { LocalObjectStore } from '../../storage/local-store.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import type { TaskConsumer } from '../../tasks/task-queue.js';
import type { TaskView } from '../../tasks/task-view.js';
import { postJson, readEnvelope, startHttpTestRenderer, startTestServer, type TestServer } from '../helpers/http.js';
import { BAR_OPTION, LINE_OPTION } from '../helpers/renderer.js';

/** A series type ECharts does not know, fails at render time (not at submit), and looks like markup. */
const UNKNOWN_SERIES = 'nope<b>bold</b>';
const SCREENSHOT = join(tmpdir(), 'echarts-farm-dashboard.png');
const WAIT = { timeout: 20_000 };

let imagesDir: string;
let renderer: ChartRenderer;
let consumer: TaskConsumer;
let farm: TestServer;
/** A farm that asks for a key, and its worker. */
let guarded: { server: TestServer; consumer: TaskConsumer } | undefined;
let browser: Browser;
let page: Page;
/** Console errors and refused requests of the page: its policy must let everything it needs through. */
const pageProblems: string[] = [];

before(async () => {
  imagesDir = mkdtempSync(join(tmpdir(), 'farm-dashboard-'));
  renderer = await startHttpTestRenderer();
  const store = new LocalObjectStore({ root: imagesDir });
  const queue = new MemoryTaskQueue();
  consumer = queue.consume(taskHandler(configWith({}), renderer, store, queue), consumerOptions(configWith({}), undefined));
  farm = await startTestServer(renderer, {}, { tasks: { queue, accepting: () => true }, store });
  browser = await chromium.launch({ executablePath: locateChromium({ chromiumPath: process.env.CHROMIUM_PATH }), args: ['--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error') pageProblems.push(message.text());
  });
  page.on('pageerror', (error) => pageProblems.push(error.message));
  page.on('response', (response) => { if (response.status() >= 400) pageProblems.push(response.url()); });
});

after(async () => {
  await browser?.close();
  await consumer?.close(1000);
  await guarded?.consumer.close(1000);
  await guarded?.server.close();
  await farm?.close();
  await renderer?.close();
  if (imagesDir) rmSync(imagesDir, { recursive: true, force: true });
});

async function submit(body: Record<string, unknown>, to: TestServer = farm, headers: Record<string, string> = {}): Promise<string> {
  const envelope = await readEnvelope<TaskView>(await postJson(`${to.url}/api/charts/generate`, { width: 300, height: 200, ...body }, headers));
  assert.equal(envelope.code, 202, envelope.msg);
  return envelope.data!.taskId;
}

describe('the dashboard in Chromium', { timeout: 60_000 }, () => {
  it('follows submitted tasks: counts, throughput, thumbnails and the error of a failed task', async () => {
    await page.goto(`${farm.url}/dashboard`);
    await expect(page.locator('#connection')).toHaveText(/^live/, WAIT);
    await expect(page.locator('#count-completed')).toHaveText('0');
    await expect(page.locator('#count-failed')).toHaveText('0');
    await expect(page.locator('#farm-info')).toContainText('serve · memory queue');
    await expect(page.locator('#pool')).toContainText('1 of 1 connected');

    const completed = [await submit({ option: BAR_OPTION }), await submit({ option: LINE_OPTION, type: 'svg' }), await submit({ option: BAR_OPTION, type: 'pdf' })];
    const failed = await submit({ option: { series: [{ type: UNKNOWN_SERIES, data: [1] }] } });

    await expect(page.locator('#count-completed')).toHaveText('3', WAIT);
    await expect(page.locator('#count-failed')).toHaveText('1', WAIT);
    await expect(page.locator('#count-total')).toHaveText('4', WAIT);
    await expect(page.locator('#throughput-summary')).toContainText('4 in the last minute', WAIT);
    await expect(page.locator('.task')).toHaveCount(4);

    // PNG and SVG are drawn by <img> (decoded, so naturalWidth > 0); a PDF shows its type.
    for (const taskId of completed.slice(0, 2)) {
      const image = page.locator(`.task[data-task-id="${taskId}"] .thumb img`);
      await expect(image).toHaveCount(1, WAIT);
      await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth), WAIT).toBeGreaterThan(0);
    }
    await expect(page.locator(`.task[data-task-id="${completed[2]}"] .thumb`)).toHaveText('PDF', WAIT);

    // The error is shown as text: the markup in the series type is not an element of the page.
    const failedTask = page.locator(`.task[data-task-id="${failed}"]`);
    await expect(failedTask.locator('.status')).toHaveText('failed');
    await expect(failedTask.locator('.task-error .reason')).toHaveText('INVALID_OPTION');
    await expect(failedTask.locator('.task-error .message')).toContainText(`unknown series type "${UNKNOWN_SERIES}"`);
    await expect(page.locator('.task-error b')).toHaveCount(0);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.deepEqual(pageProblems, [], 'the page logged no error and its policy refused nothing');
  });

  it('asks for the key of a farm that wants one, then shows the caller\'s tasks and thumbnails', async () => {
    const key = 'dashboard-test-key';
    const config = configWith({ apiKeys: [{ owner: 'operator', key }] });
    const queue = new MemoryTaskQueue();
    const store = new LocalObjectStore({ root: imagesDir });
    guarded = {
      consumer: queue.consume(taskHandler(config, renderer, store, queue), consumerOptions(config, undefined)),
      server: await startTestServer(renderer, config, { tasks: { queue, accepting: () => true }, store }),
    };
    const taskId = await submit({ option: BAR_OPTION }, guarded.server, { 'x-api-key': key });
    const keyPage = await browser.newPage();
    try {
      await keyPage.goto(`${guarded.server.url}/dashboard`);
      await expect(keyPage.locator('#connection')).toHaveText('needs a key', WAIT);
      await keyPage.locator('#key-input').fill(key);
      await keyPage.getByRole('button', { name: 'Use' }).click();
      await expect(keyPage.locator('#key-form')).toBeHidden();
      await expect(keyPage.locator('#connection')).toHaveText(/^live/, WAIT);
      const image = keyPage.locator(`.task[data-task-id="${taskId}"] .thumb img`);
      await expect(image).toHaveCount(1, WAIT);
      await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth), WAIT).toBeGreaterThan(0);
    } finally {
      await keyPage.close();
    }
  });

  it('serves its files under a policy that allows only the farm', async () => {
    const response = await fetch(`${farm.url}/dashboard`);
    const policy = response.headers.get('content-security-policy') ?? '';
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'self'(;|$)/);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal((await fetch(`${farm.url}/dashboard/dashboard.js`)).headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal((await fetch(`${farm.url}/dashboard/other.js`)).status, 404);
  });
});
