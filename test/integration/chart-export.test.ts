/**
 * Many charts in one file (`POST /api/charts/export`) against real Chromium: a PDF report whose pages
 * are counted and rasterised with pdftoppm and compared with the single renders of the same charts,
 * a grid with titles and a failed chart, a queued ZIP opened and checked against its manifest, and
 * bad input refused chart by chart.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { unzipSync } from 'fflate';
import { configWith } from '../../config/load-config.js';
import { consumerOptions, taskHandler } from '../../farm/task-system.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { LocalObjectStore } from '../../storage/local-store.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import type { TaskConsumer } from '../../tasks/task-queue.js';
import type { TaskView } from '../../tasks/task-view.js';
import type { ExportManifest } from '../../reports/zip-report.js';
import { corpusEntries, corpusOption } from '../helpers/corpus.js';
import { expectProblem, postJson, readEnvelope, startHttpTestRenderer, startTestServer, type TestServer } from '../helpers/http.js';
import { differingPixels } from '../helpers/pixels.js';
import { BAR_OPTION, LINE_OPTION } from '../helpers/renderer.js';

/** Three real charts that render the same every time, at a size that keeps the test quick. */
const CORPUS_CHARTS = corpusEntries()
  .filter((entry) => entry.kind === 'options' && entry.render.deterministic)
  .slice(0, 3)
  .map((entry) => ({ title: entry.name, option: corpusOption(entry), width: 480, height: 320 }));

/** An option ECharts refuses while rendering (not while parsing): the chart fails in the page. */
const FAILING_OPTION = { series: [{ type: 'no-such-series', data: [1, 2, 3] }] };

let renderer: ChartRenderer;
let server: TestServer;
let consumer: TaskConsumer;
let work: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'farm-export-'));
  renderer = await startHttpTestRenderer();
  const store = new LocalObjectStore({ root: join(work, 'store') });
  const config = configWith({ queueRetryBackoffMs: 10 });
  const queue = new MemoryTaskQueue();
  consumer = queue.consume(taskHandler(config, renderer, store, queue), consumerOptions(config, () => undefined));
  server = await startTestServer(renderer, { batchMaxCharts: 6 }, { tasks: { queue, accepting: () => true }, store });
});

after(async () => {
  await consumer?.close(1000);
  await server?.close();
  await renderer?.close();
  rmSync(work, { recursive: true, force: true });
});

async function bytesOf(response: Response): Promise<Buffer> {
  assert.equal(response.status, 200, response.status === 200 ? '' : await response.clone().text());
  return Buffer.from(await response.arrayBuffer());
}

async function renderSingle(chart: Record<string, unknown>): Promise<Buffer> {
  return bytesOf(await postJson(`${server.url}/api/charts/generate?async=false`, chart));
}

/** Every page of `pdf` as PNG files rasterised by pdftoppm at 96 dpi (one PDF point = 4/3 pixel). */
function rasterise(pdf: Buffer, name: string): Buffer[] {
  const folder = mkdtempSync(join(work, `${name}-`));
  writeFileSync(join(folder, 'in.pdf'), pdf);
  execFileSync('pdftoppm', ['-r', '96', '-png', join(folder, 'in.pdf'), join(folder, 'page')]);
  return readdirSync(folder)
    .filter((file) => file.endsWith('.png'))
    .sort()
    .map((file) => readFileSync(join(folder, file)));
}

function pdfText(pdf: Buffer): string {
  const file = join(mkdtempSync(join(work, 'text-')), 'in.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
}

async function waitForTask(taskId: string): Promise<TaskView> {
  for (let tries = 0; tries < 600; tries += 1) {
    const task = (await readEnvelope<TaskView>(await fetch(`${server.url}/api/charts/status/${taskId}`))).data!;
    if (['completed', 'failed', 'cancelled'].includes(task.status)) return task;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`task ${taskId} did not finish`);
}

describe('POST /api/charts/export', () => {
  test('a PDF holds one page per chart, each page the same pixels as the chart rendered alone', async () => {
    const charts = CORPUS_CHARTS.map(({ option, width, height }) => ({ option, width, height, type: 'pdf' }));
    const response = await postJson(`${server.url}/api/charts/export?async=false`, { format: 'pdf', charts });
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.equal(response.headers.get('x-export-charts'), '3');
    const pages = rasterise(await bytesOf(response), 'report');
    assert.equal(pages.length, 3);
    for (const [index, chart] of charts.entries()) {
      const [single] = rasterise(await renderSingle(chart), `single-${index}`);
      assert.equal(differingPixels(pages[index]!, single!), 0, `page ${index + 1} equals the single render of ${CORPUS_CHARTS[index]!.title}`);
    }
  });

  test('a grid puts four charts on a page under their titles, and a failed chart is named on its page with partial', async () => {
    const charts = [
      ...CORPUS_CHARTS,
      { title: 'Broken chart', option: FAILING_OPTION },
      { title: 'Weekly line', option: LINE_OPTION, type: 'png', devicePixelRatio: 2 },
    ];
    const body = { format: 'pdf', layout: { columns: 2, rows: 2 }, partial: true, charts };
    const response = await postJson(`${server.url}/api/charts/export?async=false`, body);
    const pdf = await bytesOf(response);
    assert.equal(response.headers.get('x-export-failed'), '3');
    const pages = rasterise(pdf, 'grid');
    assert.equal(pages.length, 2, 'five charts at four a page');
    const text = pdfText(pdf);
    for (const chart of charts) assert.ok(text.includes(chart.title), `the title ${chart.title} is on a page`);
    assert.match(text, /Chart 4 failed: INVALID_OPTION/);

    const whole = await postJson(`${server.url}/api/charts/export?async=false`, { ...body, partial: false });
    const problem = await expectProblem(whole, { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_OPTION' });
    assert.match(problem.msg, /^charts\[3\]: /);
  });

  test('a queued ZIP holds each image and a manifest with its status, size, fingerprint and error', async () => {
    const charts = [
      { option: BAR_OPTION, width: 400, height: 300 },
      { option: FAILING_OPTION },
      { option: LINE_OPTION, width: 320, height: 200, type: 'jpeg' },
    ];
    const queued = await postJson(`${server.url}/api/charts/export`, { format: 'zip', partial: true, charts });
    assert.equal(queued.status, 202);
    const data = (await readEnvelope<TaskView & { charts: number }>(queued)).data!;
    assert.equal(data.type, 'zip');
    assert.equal(data.charts, 3);
    const task = await waitForTask(data.taskId);
    assert.equal(task.status, 'completed', JSON.stringify(task.error));
    assert.equal(task.contentType, 'application/zip');
    assert.match(task.fileName ?? '', /\.zip$/);

    const files = unzipSync(new Uint8Array(await bytesOf(await fetch(`${server.url}/api/images/${data.taskId}`))));
    const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8')) as ExportManifest;
    assert.deepEqual(Object.keys(files).sort(), ['chart-01.png', 'chart-03.jpg', 'manifest.json']);
    assert.deepEqual({ completed: manifest.completed, failed: manifest.failed }, { completed: 2, failed: 1 });
    const [bar, broken, line] = manifest.charts;
    assert.deepEqual(
      { status: bar!.status, file: bar!.file, width: bar!.width, height: bar!.height, fingerprint: bar!.fingerprint },
      { status: 'completed', file: 'chart-01.png', width: 400, height: 300, fingerprint: renderer.fingerprint.hash },
    );
    assert.equal(bar!.bytes, files['chart-01.png']!.length);
    assert.equal(broken!.status, 'failed');
    assert.equal(broken!.file, null);
    assert.equal(broken!.error?.reason, 'INVALID_OPTION');
    assert.equal(line!.type, 'jpeg');
    assert.equal(differingPixels(Buffer.from(files['chart-01.png']!), await renderSingle(charts[0]!)), 0, 'the archived PNG is the single render');
  });

  test('each chart meets the limits of a single render, and the number of charts is bounded', async () => {
    const tooWide = await postJson(`${server.url}/api/charts/export?async=false`, {
      format: 'zip',
      charts: [{ option: BAR_OPTION }, { option: BAR_OPTION, width: 99_999 }],
    });
    const wide = await expectProblem(tooWide, { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
    assert.match(wide.msg, /^charts\[1\]: width must be at most 8192/);

    const tooMany = await postJson(`${server.url}/api/charts/export`, { format: 'zip', charts: Array(7).fill({ option: BAR_OPTION }) });
    assert.match((await expectProblem(tooMany, { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' })).msg, /at most 6 charts/);

    const svgInPdf = await postJson(`${server.url}/api/charts/export`, { format: 'pdf', charts: [{ option: BAR_OPTION, type: 'svg' }] });
    assert.match((await expectProblem(svgInPdf, { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' })).msg, /charts\[0\]: type svg/);

    const noFormat = await postJson(`${server.url}/api/charts/export`, { charts: [{ option: BAR_OPTION }] });
    assert.match((await expectProblem(noFormat, { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' })).msg, /format/);

    const functions = await postJson(`${server.url}/api/charts/export`, { format: 'zip', charts: [{ option: 'var option = {}' }] });
    await expectProblem(functions, { status: 400, type: 'VALIDATION_ERROR', reason: 'FUNCTIONS_NOT_ALLOWED' });
  });
});
