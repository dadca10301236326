/**
 * No silent tofu: a chart whose text is in a script no installed font draws (Santali in Ol Chiki)
 * reports its characters on the result, the response header and the task, and fails with
 * MISSING_GLYPHS when strict; real charts of the corpus (CJK and rich text included) report none.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configWith } from '../../config/load-config.js';
import { FarmMetrics } from '../../ops/farm-metrics.js';
import { FarmError } from '../../errors/farm-error.js';
import { consumerOptions, taskHandler } from '../../farm/task-system.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { LocalObjectStore } from '../../storage/local-store.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import type { TaskConsumer } from '../../tasks/task-queue.js';
import type { TaskView } from '../../tasks/task-view.js';
import { corpusEntries, corpusOption } from '../helpers/corpus.js';
import { expectProblem, postJson, readEnvelope, startHttpTestRenderer, startTestServer, type TestServer } from '../helpers/http.js';
import { request, startTestRenderer } from '../helpers/renderer.js';
import { rejectionOf } from '../helpers/rejection.js';

/** "Santali" in Ol Chiki: no font of a Debian base install (nor of the farm's image) has this script. */
const SANTALI = 'ᱥᱟᱱᱛᱟᱲᱤ';
const SANTALI_OPTION = {
  title: { text: `Sales ${SANTALI}` },
  xAxis: { type: 'category', data: ['Mon', 'ᱛᱤᱱ', 'Wed'] },
  yAxis: { type: 'value' },
  series: [{ type: 'bar', data: [3, 5, 2] }],
};
const SANTALI_CODE_POINTS = [...new Set([...`${SANTALI}ᱛᱤᱱ`])].map((char) => `U+${char.codePointAt(0)!.toString(16).toUpperCase()}`);

let renderer: ChartRenderer;
let server: TestServer;
let consumer: TaskConsumer;
let storeDir: string;

before(async () => {
  renderer = await startHttpTestRenderer();
  storeDir = mkdtempSync(join(tmpdir(), 'farm-glyphs-'));
  const store = new LocalObjectStore({ root: storeDir });
  const queue = new MemoryTaskQueue();
  const config = configWith({});
  consumer = queue.consume(taskHandler(config, renderer, store, queue), consumerOptions(config, () => undefined));
  server = await startTestServer(renderer, {}, { tasks: { queue, accepting: () => true }, store });
});

after(async () => {
  await consumer?.close(1000);
  await server?.close();
  await renderer?.close();
  rmSync(storeDir, { recursive: true, force: true });
});

describe('missing glyphs', () => {
  it('reports each character of an unusual script that no font draws, once, with its text', async () => {
    for (const type of ['png', 'svg'] as const) {
      const result = await renderer.render(request({ option: SANTALI_OPTION, type }));
      assert.deepEqual(result.missingGlyphs.map((glyph) => glyph.codePoint).sort(), [...SANTALI_CODE_POINTS].sort(), type);
      const first = result.missingGlyphs.find((glyph) => glyph.char === 'ᱥ')!;
      assert.deepEqual(first, { char: 'ᱥ', codePoint: 'U+1C65', text: `Sales ${SANTALI}` });
    }
  });

  it('reports none for real charts of the corpus, CJK and rich text included', async () => {
    const entries = corpusEntries().filter((entry) => entry.kind === 'options' && entry.render.deterministic).slice(0, 8);
    assert.ok(entries.some((entry) => entry.flags.includes('cjk-text')));
    for (const entry of entries) {
      const result = await renderer.render(request({ option: corpusOption(entry), width: entry.size.width, height: entry.size.height }));
      assert.deepEqual(result.missingGlyphs, [], entry.name);
    }
  });

  it('puts them in X-Missing-Glyphs and on the task, and strictFonts turns them into MISSING_GLYPHS', async () => {
    const sync = await postJson(`${server.url}/api/charts/generate?async=false`, { option: SANTALI_OPTION });
    assert.equal(sync.status, 200);
    assert.deepEqual(sync.headers.get('x-missing-glyphs')?.split(',').sort(), [...SANTALI_CODE_POINTS].sort());
    const clean = await postJson(`${server.url}/api/charts/generate?async=false`, { option: { ...SANTALI_OPTION, title: { text: 'Sales' }, xAxis: { type: 'category', data: ['a', 'b', 'c'] } } });
    assert.equal(clean.headers.get('x-missing-glyphs'), null);

    const strict = await postJson(`${server.url}/api/charts/generate?async=false`, { option: SANTALI_OPTION, strictFonts: true });
    const problem = await expectProblem(strict, { status: 422, type: 'PROCESSING_ERROR', reason: 'MISSING_GLYPHS' });
    assert.match(problem.msg, /ᱥ U\+1C65/);

    const queued = (await readEnvelope<TaskView>(await postJson(`${server.url}/api/charts/generate`, { option: SANTALI_OPTION }))).data!;
    let task = queued;
    for (let tries = 0; tries < 300 && !['completed', 'failed'].includes(task.status); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      task = (await readEnvelope<TaskView>(await fetch(`${server.url}/api/charts/status/${queued.taskId}`))).data!;
    }
    assert.equal(task.status, 'completed');
    assert.deepEqual(task.missingGlyphs.map((glyph) => glyph.codePoint).sort(), [...SANTALI_CODE_POINTS].sort());
  });

  it('counts renders with missing glyphs in echarts_farm_missing_glyphs_total', async () => {
    const metrics = new FarmMetrics();
    renderer.observeRenders(metrics.renderObserver);
    await renderer.render(request({ option: SANTALI_OPTION }));
    await renderer.render(request({ option: SANTALI_OPTION, width: 300 }));
    await renderer.render(request({ option: { series: [{ type: 'pie', data: [{ name: 'plain', value: 1 }] }] } }));
    await assert.rejects(renderer.render(request({ option: SANTALI_OPTION, strictFonts: true })));
    assert.match(await metrics.exposition(), /^echarts_farm_missing_glyphs_total 3$/m);
  });

  it('fails every such render with RENDER_STRICT_FONTS', async () => {
    const strictRenderer = await startTestRenderer({ strictFonts: true });
    try {
      const error = await rejectionOf(() => strictRenderer.render(request({ option: SANTALI_OPTION })), FarmError);
      assert.equal(error.reason, 'MISSING_GLYPHS');
      const fine = await strictRenderer.render(request({ option: { series: [{ type: 'pie', data: [{ name: '北京', value: 1 }] }] } }));
      assert.deepEqual(fine.missingGlyphs, []);
    } finally {
      await strictRenderer.close();
    }
  });
});
