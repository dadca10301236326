/** `echarts-farm render a.json b.json -o report.pdf|.zip`: many charts in one file from the command line. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import type { ExportManifest } from '../../reports/zip-report.js';
import { runFarm } from '../helpers/cli.js';
import { BAR_OPTION, LINE_OPTION } from '../helpers/renderer.js';

const dir = mkdtempSync(join(tmpdir(), 'farm-report-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function optionFile(name: string, option: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(option));
  return file;
}

describe('echarts-farm render with several option files', () => {
  const bar = optionFile('bar.json', BAR_OPTION);
  const line = optionFile('line.json', LINE_OPTION);
  const broken = optionFile('broken.json', { xAxis: { type: 'no-such-axis' }, series: [{ type: 'line', data: [1] }] });

  it('writes one PDF with a page per chart and the file names as titles', () => {
    const output = join(dir, 'report.pdf');
    const run = runFarm(['render', bar, line, '-o', output, '--width', '400', '--height', '300', '--titles']);
    assert.equal(run.status, 0, run.stderr);
    const info = execFileSync('pdfinfo', [output]).toString();
    assert.match(info, /^Pages:\s+2$/m);
    const text = execFileSync('pdftotext', [output, '-']).toString();
    assert.ok(text.includes('bar') && text.includes('line'), text);
  });

  it('writes a ZIP with --partial, names the failed file and exits 1', () => {
    const output = join(dir, 'report.zip');
    const run = runFarm(['render', bar, broken, '-o', output, '--partial']);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /broken\.json: RENDER_FAILED/);
    const files = unzipSync(new Uint8Array(readFileSync(output)));
    const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8')) as ExportManifest;
    assert.deepEqual(
      manifest.charts.map((chart) => [chart.status, chart.file]),
      [
        ['completed', 'chart-01.png'],
        ['failed', null],
      ],
    );
    assert.ok(files['chart-01.png']!.length > 1000);
  });

  it('takes the value of a flag for that flag, not for a second option file', () => {
    const output = join(dir, 'single.png');
    const run = runFarm(['render', bar, '--width', '320', '-o', output, '--height', '200']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /png 320x200/);
  });

  it('refuses a report that is neither PDF nor ZIP before rendering anything', () => {
    const run = runFarm(['render', bar, line, '-o', join(dir, 'report.png')]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /\.pdf or \.zip/);
  });
});
