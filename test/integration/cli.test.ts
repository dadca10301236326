/** The `echarts-farm` command as a person runs it: real process, real Chromium, exit codes. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packageRoot } from '../../renderer/package-root.js';
import { decodePng } from '../helpers/pixels.js';
import { BAR_OPTION } from '../helpers/renderer.js';

const dir = mkdtempSync(join(tmpdir(), 'farm-cli-'));

function farm(args: string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(packageRoot(), 'cli', 'main.ts'), ...args], {
    cwd: packageRoot(),
    input: options.input,
    env: { ...process.env, LOG_LEVEL: 'silent', ...options.env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
}

describe('echarts-farm render', () => {
  const optionFile = join(dir, 'bar.json');
  writeFileSync(optionFile, JSON.stringify(BAR_OPTION));

  it('renders an option file to the PNG named by -o, at the asked size', () => {
    const output = join(dir, 'bar.png');
    const run = farm(['render', optionFile, '-o', output, '--width', '320', '--height', '200', '--dpr', '2']);
    assert.equal(run.status, 0, run.stderr);
    const image = decodePng(readFileSync(output));
    assert.deepEqual([image.width, image.height], [640, 400]);
    assert.match(run.stderr, /png 640x400/);
  });

  it('reads the option from stdin and writes to stdout, the type following --type', () => {
    const run = farm(['render', '-', '-o', '-', '--type', 'svg'], { input: JSON.stringify(BAR_OPTION) });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout.toString(), /^<svg[^>]+width="600" height="400"/);
  });

  it('takes the type from the extension of -o', () => {
    const output = join(dir, 'bar.pdf');
    assert.equal(farm(['render', optionFile, '-o', output]).status, 0);
    assert.equal(readFileSync(output).subarray(0, 5).toString(), '%PDF-');
  });

  it('refuses invalid JSON with exit code 2 and says what is wrong', () => {
    const run = farm(['render', '-', '-o', join(dir, 'x.png')], { input: '{"series": [' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^echarts-farm: stdin is not valid JSON/);
  });

  it('refuses a bad size with exit code 2', () => {
    const run = farm(['render', optionFile, '-o', join(dir, 'x.png'), '--width', '0']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /width must be at least 1/);
  });

  it('refuses a JavaScript option unless functions are allowed', () => {
    const script = join(dir, 'chart.js');
    writeFileSync(script, `var option = ${JSON.stringify(BAR_OPTION)}; option.yAxis = { axisLabel: { formatter: function (v) { return v + '%'; } } };`);
    const refused = farm(['render', script, '-o', join(dir, 'js.png')]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /ALLOW_FUNCTIONS/);
    const allowed = farm(['render', script, '-o', join(dir, 'js.png'), '--allow-functions']);
    assert.equal(allowed.status, 0, allowed.stderr);
  });

  it('reports an option ECharts cannot draw with exit code 1', () => {
    const run = farm(['render', '-', '-o', join(dir, 'x.png')], {
      input: JSON.stringify({ xAxis: { type: 'no-such-axis' }, yAxis: {}, series: [{ type: 'bar', data: [1] }] }),
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /ECharts could not draw the option/);
  });

  it('reports a missing file with exit code 2', () => {
    const run = farm(['render', join(dir, 'missing.json'), '-o', join(dir, 'x.png')]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /ENOENT/);
  });
});

describe('echarts-farm config', () => {
  it('prints the effective settings', () => {
    const run = farm(['config'], { env: { POOL_BROWSERS: '3' } });
    assert.equal(run.status, 0);
    assert.match(run.stdout.toString(), /^POOL_BROWSERS\s+3$/m);
  });

  it('stops on a bad setting, naming the variable and what it accepts', () => {
    const run = farm(['config'], { env: { RENDER_TIMEOUT_MS: 'soon' } });
    assert.equal(run.status, 78);
    assert.match(run.stderr, /RENDER_TIMEOUT_MS="soon" is not valid: it accepts an integer from 100 to 3600000/);
  });

  it('answers an unknown command with the usage', () => {
    const run = farm(['paint']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /unknown command "paint"/);
  });
});
