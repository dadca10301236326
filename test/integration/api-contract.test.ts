/**
 * The OpenAPI document against a running `echarts-farm serve`: every documented operation answers
 * (never 404 or 405 from the router), with a status the document lists and a body its schema
 * accepts, and the /docs page shows every operation in a real Chromium without one request leaving
 * the farm.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import puppeteer from 'puppeteer';
import { CHROMIUM_FLAGS } from '../../renderer/launch-flags.js';
import { locateChromium } from '../../renderer/locate-chromium.js';
import type { TaskView } from '../../tasks/task-view.js';
import { startFarmProcess, type FarmProcess } from '../helpers/farm-process.js';
import { postJson, readEnvelope } from '../helpers/http.js';
import { schemaProblems } from '../helpers/json-schema-check.js';
import { BAR_OPTION } from '../helpers/renderer.js';

type Json = Record<string, any>;

let farm: FarmProcess;
let document: Json;
let completedTaskId: string;

/** The values the path parameters take: a task that completed, a file of the docs page. */
const pathValues = (): Record<string, string> => ({ taskId: completedTaskId, asset: 'docs-init.js' });

function operationsOf(doc: Json): { path: string; method: string; operation: Json }[] {
  return Object.entries(doc.paths as Json).flatMap(([path, methods]) =>
    Object.entries(methods as Json).map(([method, operation]) => ({ path, method, operation: operation as Json })),
  );
}

function firstBodyExample(operation: Json): unknown {
  const examples = operation.requestBody?.content?.['application/json']?.examples as Json | undefined;
  return examples ? Object.values(examples)[0].value : undefined;
}

/** Asserts that `response` is an answer `operation` documents, and that its JSON conforms. */
async function expectDocumented(response: Response, operation: Json, what: string): Promise<void> {
  const documented = operation.responses[String(response.status)] as Json | undefined;
  assert.ok(documented, `${what}: status ${response.status} is not documented`);
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (!documented.content) return;
  assert.ok(documented.content[type], `${what}: ${type} is not documented for ${response.status} (${Object.keys(documented.content).join(', ')})`);
  const schema = documented.content[type].schema;
  if (type === 'application/json' && schema?.$ref) {
    assert.deepEqual(schemaProblems(await response.json(), schema, document), [], what);
  } else if (type === 'application/json' && schema?.oneOf) {
    assert.deepEqual(schemaProblems(await response.json(), schema, document), [], what);
  } else if (type === 'text/event-stream') {
    const events = (await response.text()).split('\n').filter((line) => line.startsWith('data: '));
    assert.ok(events.length > 0, `${what}: no event`);
    for (const line of events) assert.deepEqual(schemaProblems(JSON.parse(line.slice(6)), { $ref: '#/components/schemas/TaskView' }, document), []);
  } else {
    await response.arrayBuffer();
  }
}

before(async () => {
  farm = await startFarmProcess('serve', { LOCAL_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'farm-contract-')) });
  document = (await (await fetch(`${farm.url}/api/openapi.json`)).json()) as Json;
  const queued = (await readEnvelope<TaskView>(await postJson(`${farm.url}/api/charts/generate`, { option: BAR_OPTION, width: 200, height: 120 }))).data!;
  await (await fetch(`${farm.url}/api/charts/events/${queued.taskId}`)).text();
  completedTaskId = queued.taskId;
});

after(() => farm?.stop('SIGKILL'));

describe('the OpenAPI document on a running farm', () => {
  it('is served at /api/openapi.json as OpenAPI 3.1', () => {
    assert.equal(document.openapi, '3.1.0');
    assert.ok(Object.keys(document.paths).length >= 15);
  });

  it('has every documented operation answer with a documented status and body', async () => {
    for (const { path, method, operation } of operationsOf(document)) {
      const url = farm.url + path.replace(/\{(\w+)\}/g, (_, name: string) => pathValues()[name] ?? name);
      const body = firstBodyExample(operation);
      const response = await fetch(url, {
        method: method.toUpperCase(),
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      const what = `${method.toUpperCase()} ${path} → ${response.status}`;
      if (response.status === 404 || response.status === 405) assert.fail(`${what}: ${await response.text()}`);
      await expectDocumented(response, operation, what);
    }
  });

  it('documents the other modes of generate and images as they answer', async () => {
    const operation = (id: string) => operationsOf(document).find((entry) => entry.operation.operationId === id)!.operation;
    const generate = operation('generateChart');
    const chart = { option: BAR_OPTION, width: 200, height: 120 };
    await expectDocumented(await postJson(`${farm.url}/api/charts/generate?async=false`, chart), generate, 'sync image');
    await expectDocumented(await postJson(`${farm.url}/api/charts/generate?async=false&base64=true`, chart), generate, 'sync data URL');
    await expectDocumented(await postJson(`${farm.url}/api/charts/generate`, { ...chart, width: 0 }), generate, 'bad width');
    const image = operation('getImage');
    await expectDocumented(await fetch(`${farm.url}/api/images/${completedTaskId}?redirect=true`, { redirect: 'manual' }), image, 'redirect');
    await expectDocumented(await fetch(`${farm.url}/api/images/${completedTaskId}`, { headers: { range: 'bytes=0-9' } }), image, 'range');
    const png = Buffer.from(await (await postJson(`${farm.url}/api/charts/generate?async=false`, chart)).arrayBuffer()).toString('base64');
    await expectDocumented(await postJson(`${farm.url}/api/charts/compare`, { expected: png, render: chart }), operation('compareImages'), 'compare a render');
    const status = operation('getTaskStatus');
    await expectDocumented(await fetch(`${farm.url}/api/charts/status/${crypto.randomUUID()}`), status, 'unknown task');
  });
});

describe('the /docs page in Chromium', () => {
  it('shows every operation, loads nothing from outside the farm and logs no error', async (t: TestContext) => {
    const browser = await puppeteer.launch({ executablePath: locateChromium(), headless: true, args: [...CHROMIUM_FLAGS] });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 1800 });
      const requested: string[] = [];
      const problems: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(String(error)));
      await page.goto(`${farm.url}/docs`, { waitUntil: 'networkidle0' });
      const count = operationsOf(document).length;
      await page.waitForFunction((expected) => document.querySelectorAll('.opblock').length >= expected, { timeout: 15_000 }, count);
      const paths = await page.$$eval('.opblock-summary-path', (nodes) => nodes.map((node) => node.getAttribute('data-path')));
      for (const path of Object.keys(document.paths)) assert.ok(paths.includes(path), `the page shows ${path}`);
      const shot = join(tmpdir(), 'echarts-farm-docs.png');
      await page.screenshot({ path: shot });
      t.diagnostic(`screenshot of the operations: ${shot}`);
      // Open generate: its body schema and examples must resolve without a resolver error.
      await page.click('#operations-charts-generateChart .opblock-summary-control');
      await page.waitForSelector('#operations-charts-generateChart .opblock-body .body-param__example, #operations-charts-generateChart .opblock-body .highlight-code');
      assert.equal(await page.$('.errors-wrapper'), null, 'Swagger UI reports errors in the document');
      const outside = requested.filter((url) => !url.startsWith(farm.url) && !url.startsWith('data:'));
      assert.deepEqual(outside, [], 'requests outside the farm');
      assert.deepEqual(problems, [], 'console errors');
    } finally {
      await browser.close();
    }
  });
});
