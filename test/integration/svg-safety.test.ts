/**
 * SVG output is data, never code: values of an option that close their attribute cannot open a
 * `<script>` (browser SVG and `ssr`), and every image answer tells a browser not to run or fetch
 * anything (`nosniff`, a sandboxing CSP on SVG), even opened on the farm's own origin.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import puppeteer, { type Browser } from 'puppeteer';
import { consumerOptions, taskHandler } from '../../farm/task-system.js';
import { configWith } from '../../config/load-config.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { CHROMIUM_FLAGS } from '../../renderer/launch-flags.js';
import { locateChromium } from '../../renderer/locate-chromium.js';
import { LocalObjectStore } from '../../storage/local-store.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import type { TaskConsumer } from '../../tasks/task-queue.js';
import type { TaskView } from '../../tasks/task-view.js';
import { postJson, readEnvelope, startHttpTestRenderer, startTestServer, type TestServer } from '../helpers/http.js';

/** Closes the attribute it lands in and opens a script that marks the document. */
const BREAKOUT = 'red"/><script>document.documentElement.setAttribute("data-pwned","1")</script><path fill="';
const HOSTILE_OPTION = {
  title: { text: 'x', textStyle: { fontFamily: `sans-serif"/><foreignObject><iframe src="http://127.0.0.1:9/"/></foreignObject><g a="` } },
  xAxis: { data: ['a'] },
  yAxis: {},
  series: [{ type: 'bar', data: [1], itemStyle: { color: BREAKOUT } }],
};
const SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

let renderer: ChartRenderer;
let server: TestServer;
let queue: MemoryTaskQueue;
let consumer: TaskConsumer;

before(async () => {
  renderer = await startHttpTestRenderer();
  const store = new LocalObjectStore({ root: mkdtempSync(join(tmpdir(), 'farm-images-')) });
  queue = new MemoryTaskQueue();
  consumer = queue.consume(taskHandler(configWith({}), renderer, store, queue), consumerOptions(configWith({}), () => undefined));
  server = await startTestServer(renderer, {}, { tasks: { queue, accepting: () => true }, store });
});

after(async () => {
  await consumer?.close(1000);
  await server?.close();
  await renderer?.close();
});

function assertInert(svg: string): void {
  assert.ok(svg.startsWith('<svg'), 'an SVG');
  assert.doesNotMatch(svg, /<script|<foreignObject|<iframe/i, 'no element of the option text');
  assert.doesNotMatch(svg, /\son[a-z]+\s*=/i, 'no event handler');
  assert.doesNotMatch(svg, /(href|src)="(?!#|data:image\/)/i, 'no reference outside the image');
  assert.match(svg, /fill="red&quot;\/&gt;&lt;script&gt;/, 'the colour is kept, escaped, as one attribute value');
}

function assertImageHeaders(response: Response, svg: boolean): void {
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  if (svg) assert.equal(response.headers.get('content-security-policy'), SVG_POLICY);
}

describe('SVG output of an option whose values try to break out of their attribute', () => {
  for (const renderer of ['svg', 'ssr'] as const) {
    test(`renderer ${renderer}: the values are escaped, no script or foreign content reaches the SVG`, async () => {
      const response = await postJson(`${server.url}/api/charts/generate?async=false`, { type: 'svg', renderer, option: HOSTILE_OPTION, width: 300, height: 200 });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'image/svg+xml');
      assertImageHeaders(response, true);
      assertInert(await response.text());
    });
  }

  test('a PDF of that option holds no script and no link', async () => {
    const response = await postJson(`${server.url}/api/charts/generate?async=false`, { type: 'pdf', option: HOSTILE_OPTION, width: 300, height: 200 });
    assert.equal(response.status, 200);
    assertImageHeaders(response, false);
    const pdf = Buffer.from(await response.arrayBuffer()).toString('latin1');
    assert.ok(pdf.startsWith('%PDF-'));
    assert.doesNotMatch(pdf, /\/JavaScript|\/JS\b|\/URI|\/Launch|\/EmbeddedFile/);
  });

  test('PNG and JSON answers carry nosniff too', async () => {
    const png = await postJson(`${server.url}/api/charts/generate?async=false`, { option: HOSTILE_OPTION, width: 200, height: 100 });
    assert.equal(png.status, 200);
    assertImageHeaders(png, false);
    const refused = await postJson(`${server.url}/api/charts/generate?async=false`, { width: 200 });
    assert.equal(refused.status, 400);
    assertImageHeaders(refused, false);
    assertImageHeaders(await fetch(`${server.url}/healthz`), false);
  });
});

describe('GET /api/images/:taskId of such an SVG', () => {
  let browser: Browser | undefined;
  after(async () => browser?.close());

  test('is served with nosniff and a sandboxing policy, and Chromium opening it runs nothing', async () => {
    const queued = await readEnvelope<TaskView>(await postJson(`${server.url}/api/charts/generate`, { type: 'svg', option: HOSTILE_OPTION, width: 300, height: 200 }));
    const taskId = queued.data!.taskId;
    for (let i = 0; i < 400; i += 1) {
      const view = (await readEnvelope<TaskView>(await fetch(`${server.url}/api/charts/status/${taskId}`))).data!;
      if (view.status === 'completed') break;
      assert.notEqual(view.status, 'failed');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const imageUrl = `${server.url}/api/images/${taskId}`;
    const image = await fetch(imageUrl);
    assert.equal(image.status, 200);
    assertImageHeaders(image, true);
    assertInert(await image.text());

    browser = await puppeteer.launch({ executablePath: locateChromium(), headless: true, args: [...CHROMIUM_FLAGS] });
    const page = await browser.newPage();
    await page.goto(imageUrl, { waitUntil: 'load' });
    const marked = await page.evaluate(() => document.documentElement.getAttribute('data-pwned'));
    assert.equal(marked, null, 'the script in the option ran on the farm origin');
  });
});
