/**
 * `echarts-farm golden check` on a folder as a CI job runs it: missing goldens fail, --update writes
 * them, an unchanged folder passes, and an altered golden fails with a report that shows exactly
 * that chart's reference, actual and diff.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import type { GoldenEntry, GoldenResult } from '../../regression/golden-check.js';
import { runFarm } from '../helpers/cli.js';
import { decodePng } from '../helpers/pixels.js';
import { BAR_OPTION, LINE_OPTION } from '../helpers/renderer.js';

const root = mkdtempSync(join(tmpdir(), 'farm-golden-'));
const charts = join(root, 'charts');
const report = join(root, 'report');

function check(...extra: string[]) {
  const run = runFarm(['golden', 'check', charts, '--report', report, ...extra]);
  const result = JSON.parse(readFileSync(join(report, 'result.json'), 'utf8')) as GoldenResult;
  const byName = (name: string): GoldenEntry => result.entries.find((entry) => entry.name === name)!;
  return { ...run, result, byName };
}

/** Paints a block of the golden PNG magenta; answers how many pixels it changed. */
function paintBlock(path: string, x0: number, y0: number, size: number): number {
  const png = PNG.sync.read(readFileSync(path));
  let changed = 0;
  for (let y = y0; y < y0 + size; y += 1) {
    for (let x = x0; x < x0 + size; x += 1) {
      const at = (y * png.width + x) * 4;
      if (png.data.readUInt32BE(at) !== 0xff00ffff) changed += 1;
      png.data.set([255, 0, 255, 255], at);
    }
  }
  writeFileSync(path, PNG.sync.write(png));
  return changed;
}

describe('echarts-farm golden check', () => {
  before(() => {
    mkdirSync(charts);
    writeFileSync(join(charts, 'bar.json'), JSON.stringify(BAR_OPTION));
    writeFileSync(join(charts, 'line.json'), JSON.stringify(LINE_OPTION));
    writeFileSync(join(charts, 'line.render.json'), JSON.stringify({ width: 320, height: 200, theme: 'dark', dpr: 2 }));
    writeFileSync(join(charts, 'pie.json'), JSON.stringify({ series: [{ type: 'pie', data: [3, 5, 8], label: { show: false } }] }));
    writeFileSync(join(charts, 'pie.render.json'), JSON.stringify({ type: 'svg', width: 200, height: 200 }));
    writeFileSync(join(charts, 'scripted.js'), `var option = ${JSON.stringify(BAR_OPTION)};`);
  });

  it('fails on missing goldens, keeping each render in the report', () => {
    const run = check();
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual([run.byName('bar').status, run.byName('line').status, run.byName('pie').status], ['missing', 'missing', 'missing']);
    assert.equal(run.byName('scripted').status, 'skipped', 'a .js option needs --allow-functions');
    assert.ok(existsSync(join(report, run.byName('bar').images!.actual!)));
    assert.match(run.stdout, /FAILED: 3 missing, 1 skipped/);
    assert.ok(run.stdout.includes(`approve them with: echarts-farm golden check ${charts} --report ${report} --update\n`), run.stdout);
  });

  it('writes the goldens with --update, at the size, ratio and type of each chart', () => {
    const run = check('--update', '--allow-functions');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.deepEqual(run.result.counts, { pass: 0, fail: 0, missing: 0, error: 0, skipped: 0, created: 4, updated: 0 });
    const line = decodePng(readFileSync(join(charts, 'line.png')));
    assert.deepEqual([line.width, line.height], [640, 400]);
    assert.match(readFileSync(join(charts, 'pie.svg'), 'utf8'), /^<svg[^>]+width="200" height="200"/);
    const recorded = JSON.parse(readFileSync(join(charts, '.golden-fingerprint.json'), 'utf8')) as { hash: string };
    assert.equal(recorded.hash, run.result.fingerprint.hash);
  });

  it('passes on an unchanged folder', () => {
    const run = check();
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.result.passed, true);
    assert.deepEqual([run.byName('bar').status, run.byName('line').status, run.byName('pie').status], ['pass', 'pass', 'pass']);
    assert.equal(run.byName('bar').differingPixels, 0);
    assert.match(readFileSync(join(report, 'report.html'), 'utf8'), /Golden check <span class="verdict passed">passed/);
  });

  it('names the parts in which the fingerprint of the goldens differs from this run\'s', () => {
    const file = join(charts, '.golden-fingerprint.json');
    const original = readFileSync(file, 'utf8');
    const recorded = JSON.parse(original) as { hash: string; fonts: string };
    writeFileSync(file, JSON.stringify({ ...recorded, hash: '00000000000000aa', fonts: 'fedcba9876543210' }));
    try {
      const run = check();
      assert.equal(run.result.passed, true, 'the same pixels pass whatever the fingerprint says');
      assert.equal(run.result.goldenFingerprint, '00000000000000aa');
      assert.deepEqual(run.result.goldenFingerprintDiffers, ['fonts']);
      assert.match(readFileSync(join(report, 'report.html'), 'utf8'), /They differ in: <b>fonts<\/b>/);
    } finally {
      writeFileSync(file, original);
    }
    assert.equal(check().result.goldenFingerprint, undefined, 'the folder names this run\'s fingerprint again');
  });

  it('fails on an altered golden with a report of exactly that chart: figures, reference, actual and diff', () => {
    const changed = paintBlock(join(charts, 'bar.png'), 100, 120, 12);
    const run = check();
    assert.equal(run.status, 1);
    assert.equal(run.result.passed, false);
    const bar = run.byName('bar');
    assert.equal(bar.status, 'fail');
    assert.equal(bar.differingPixels, changed);
    assert.equal(bar.share, changed / (600 * 400));
    assert.deepEqual([run.byName('line').status, run.byName('pie').status], ['pass', 'pass']);
    assert.match(run.stdout, new RegExp(`fail +bar: ${changed} of 240000 pixels`));

    const images = bar.images!;
    assert.deepEqual(readFileSync(join(report, images.expected!)), readFileSync(join(charts, 'bar.png')));
    const diff = decodePng(readFileSync(join(report, images.diff!)));
    const pixel = (x: number, y: number) => [...diff.data.subarray((y * diff.width + x) * 4, (y * diff.width + x) * 4 + 4)];
    assert.deepEqual(pixel(105, 125), [255, 0, 0, 255], 'the altered block is red in the diff');
    assert.notDeepEqual(pixel(300, 300), [255, 0, 0, 255]);

    const html = readFileSync(join(report, 'report.html'), 'utf8');
    assert.match(html, /verdict failed/);
    const article = /<article id="bar">[\s\S]*?<\/article>/.exec(html)?.[0];
    assert.ok(article, 'the report has a section for the failing chart');
    for (const image of [images.expected!, images.actual!, images.diff!]) assert.ok(article.includes(`src="${image}"`), image);
    assert.ok(!html.includes('<article id="line">'), 'passing charts get no section');
  });

  it('passes the altered golden within a threshold, and names the first difference of an SVG golden', () => {
    assert.equal(check('--threshold', '0.01').byName('bar').status, 'pass');
    writeFileSync(join(charts, 'pie.svg'), readFileSync(join(charts, 'pie.svg'), 'utf8').replace(/fill="#5070dd"/, 'fill="#000000"'));
    const pie = check().byName('pie');
    assert.equal(pie.status, 'fail');
    assert.equal(pie.svg?.firstDifference?.attribute, 'fill');
    assert.deepEqual([pie.svg?.firstDifference?.expected, pie.svg?.firstDifference?.actual], ['#000000', '#5070dd']);
  });

  it('reports a chart with bad render settings as an error, and --update rewrites what differs', () => {
    writeFileSync(join(charts, 'broken.json'), JSON.stringify(BAR_OPTION));
    writeFileSync(join(charts, 'broken.render.json'), JSON.stringify({ widht: 300 }));
    const broken = check().byName('broken');
    assert.equal(broken.status, 'error');
    assert.match(broken.message!, /broken\.render\.json: .*widht/);
    writeFileSync(join(charts, 'broken.render.json'), '{}');
    const updated = check('--update');
    assert.equal(updated.status, 0);
    assert.deepEqual([updated.byName('bar').status, updated.byName('pie').status, updated.byName('broken').status], ['updated', 'updated', 'created']);
    assert.equal(check().status, 0);
  });

  it('exits 2 when the folder is not there', () => {
    const run = runFarm(['golden', 'check', join(root, 'nowhere'), '--report', report]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /nowhere is not a folder/);
  });
});
