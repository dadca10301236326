/**
 * Comparing images as users do: `echarts-farm compare` with its exit codes, and
 * `POST /api/charts/compare` with two PNGs or with a render request and a PNG.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { runFarm } from '../helpers/cli.js';
import { expectProblem, postJson, readEnvelope, startTestServer, type TestServer } from '../helpers/http.js';
import { decodePng } from '../helpers/pixels.js';
import { BAR_OPTION, request, startTestRenderer } from '../helpers/renderer.js';

const dir = mkdtempSync(join(tmpdir(), 'farm-compare-'));

/** A white PNG with `dots` pixels painted black. */
function whitePng(width: number, height: number, dots: [number, number][] = []): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(255);
  for (const [x, y] of dots) png.data.set([0, 0, 0, 255], (y * width + x) * 4);
  return PNG.sync.write(png);
}

function file(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('echarts-farm compare', () => {
  const plain = file('plain.png', whitePng(50, 40));
  const same = file('same.png', whitePng(50, 40));
  const dotted = file('dotted.png', whitePng(50, 40, [[3, 4]]));
  const wide = file('wide.png', whitePng(60, 40));

  it('exits 0 for identical images and says no pixel differs', () => {
    const run = runFarm(['compare', plain, same]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /50x40, 0 of 2000 pixels \(0%\) differ; within the threshold of 0%/);
  });

  it('exits 1 for one differing pixel, writes the diff, and exits 0 when the threshold allows it', () => {
    const diff = join(dir, 'diff.png');
    const run = runFarm(['compare', plain, dotted, '--diff', diff, '--json']);
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(
      { differingPixels: report.differingPixels, totalPixels: report.totalPixels, share: report.share, match: report.match },
      { differingPixels: 1, totalPixels: 2000, share: 0.0005, match: false },
    );
    const image = decodePng(readFileSync(diff));
    assert.deepEqual([...image.data.subarray((4 * 50 + 3) * 4, (4 * 50 + 3) * 4 + 4)], [255, 0, 0, 255]);
    assert.equal(runFarm(['compare', plain, dotted, '--threshold', '0.001']).status, 0);
  });

  it('exits 2 for images of different sizes, a file that is no PNG, a missing file or a bad threshold', () => {
    const sizes = runFarm(['compare', plain, wide]);
    assert.equal(sizes.status, 2);
    assert.match(sizes.stderr, /the images differ in size: 50x40 against 60x40/);
    const text = runFarm(['compare', plain, file('note.png', Buffer.from('not an image'))]);
    assert.equal(text.status, 2);
    assert.match(text.stderr, /note\.png is not a PNG/);
    assert.equal(runFarm(['compare', plain, join(dir, 'missing.png')]).status, 2);
    assert.match(runFarm(['compare', plain, same, '--threshold', '5']).stderr, /--threshold takes a share from 0 to 1/);
  });
});

describe('POST /api/charts/compare', () => {
  let renderer: ChartRenderer;
  let server: TestServer;
  const dataUrl = (bytes: Buffer) => `data:image/png;base64,${bytes.toString('base64')}`;

  before(async () => {
    renderer = await startTestRenderer();
    server = await startTestServer(renderer);
  });
  after(async () => {
    await server?.close();
    await renderer?.close();
  });

  it('compares two PNGs (a data URL and bare base64) and answers the figures with a diff image', async () => {
    const response = await postJson(`${server.url}/api/charts/compare`, {
      expected: dataUrl(whitePng(50, 40)),
      actual: whitePng(50, 40, [[1, 1], [2, 2]]).toString('base64'),
      threshold: 0.0005,
    });
    assert.equal(response.status, 200);
    const { data } = await readEnvelope<Record<string, unknown>>(response);
    assert.deepEqual(
      { match: data!.match, width: data!.width, height: data!.height, differingPixels: data!.differingPixels, share: data!.share, threshold: data!.threshold },
      { match: false, width: 50, height: 40, differingPixels: 2, share: 0.001, threshold: 0.0005 },
    );
    const diff = decodePng(Buffer.from(String(data!.diff).replace(/^data:image\/png;base64,/, ''), 'base64'));
    assert.deepEqual([diff.width, diff.height], [50, 40]);
  });

  it('renders a request and compares its PNG, answering the rendered image and its fingerprint', async () => {
    const golden = (await renderer.render(request({ option: BAR_OPTION, width: 320, height: 200 }))).bytes;
    const response = await postJson(`${server.url}/api/charts/compare`, { expected: dataUrl(golden), render: { option: BAR_OPTION, width: 320, height: 200 } });
    const { data } = await readEnvelope<Record<string, unknown>>(response);
    assert.equal(data!.match, true);
    assert.equal(data!.differingPixels, 0);
    assert.equal(data!.fingerprint, renderer.fingerprint.hash);
    assert.equal(response.headers.get('x-render-fingerprint'), renderer.fingerprint.hash);
    assert.match(String(data!.actual), /^data:image\/png;base64,/);

    const changed = { ...BAR_OPTION, series: [{ type: 'bar', data: [5, 20, 36, 11] }] };
    const drift = (await readEnvelope<Record<string, unknown>>(await postJson(`${server.url}/api/charts/compare`, { expected: dataUrl(golden), render: { option: changed, width: 320, height: 200 } }))).data!;
    assert.equal(drift.match, false);
    assert.ok((drift.differingPixels as number) > 0);
  });

  it('refuses images of different sizes, no PNG, both or neither of actual and render, and non-PNG renders', async () => {
    const url = `${server.url}/api/charts/compare`;
    const sizes = await expectProblem(await postJson(url, { expected: dataUrl(whitePng(5, 5)), actual: dataUrl(whitePng(6, 5)) }), { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
    assert.match(sizes.msg, /differ in size: 5x5 against 6x5/);
    assert.deepEqual(sizes.error?.details.expected, { width: 5, height: 5 });
    const notPng = await expectProblem(await postJson(url, { expected: dataUrl(whitePng(5, 5)), actual: 'data:image/jpeg;base64,/9j/4AAQ' }), { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
    assert.match(notPng.msg, /actual is image\/jpeg; only PNG images are compared/);
    const garbage = await expectProblem(await postJson(url, { expected: 'not base64!', actual: dataUrl(whitePng(5, 5)) }), { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
    assert.match(garbage.msg, /expected is neither a data URL nor base64/);
    const both = await expectProblem(await postJson(url, { expected: dataUrl(whitePng(5, 5)) }), { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
    assert.match(both.msg, /exactly one of actual/);
    const svg = await expectProblem(await postJson(url, { expected: dataUrl(whitePng(5, 5)), render: { option: BAR_OPTION, type: 'svg' } }), { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
    assert.match(svg.msg, /render.type must be png/);
  });
});
