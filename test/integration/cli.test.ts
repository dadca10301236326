/** The `echarts-farm` command as a person runs it: real process, real Chromium, exit codes. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
    assert.match(refused.stderr, /chart\.js is JavaScript, which runs only with --allow-functions/);
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

/** Runs the command with stdout on a terminal (util-linux `script` gives it a pseudo-terminal). */
function farmOnTerminal(args: string[]): { status: number | null; output: string } {
  const command = [process.execPath, '--import', 'tsx', join(packageRoot(), 'cli', 'main.ts'), ...args].map((arg) => `'${arg}'`).join(' ');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: packageRoot(), env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 60_000 });
  return { status: result.status, output: result.stdout.toString() };
}

function isOneColour(png: Buffer): boolean {
  const { data } = decodePng(png);
  return data.every((byte, index) => byte === data[index % 4]);
}

describe('echarts-farm render: input, output and nothing drawn', () => {
  const requestFile = join(dir, 'request.json');
  writeFileSync(requestFile, JSON.stringify({ type: 'png', width: 320, height: 240, option: BAR_OPTION }));

  it('takes a request body for what it is: the option inside, the size from its fields', () => {
    const output = join(dir, 'request.png');
    const run = farm(['render', requestFile, '-o', output]);
    assert.equal(run.status, 0, run.stderr);
    const png = readFileSync(output);
    assert.deepEqual([decodePng(png).width, decodePng(png).height], [320, 240]);
    assert.equal(isOneColour(png), false);
  });

  it('lets flags win over the fields of a request body', () => {
    const run = farm(['render', '-', '-o', '-', '--width', '200', '--type', 'svg'], { input: readFileSync(requestFile) });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout.toString(), /^<svg[^>]+width="200" height="240"/);
  });

  it('refuses an option with nothing to draw before starting a browser', () => {
    const output = join(dir, 'nothing.png');
    const run = farm(['render', '-', '-o', output], { input: JSON.stringify({ type: 'png', width: 600, height: 400, chart: BAR_OPTION }) });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /stdin: nothing would be drawn: .*its fields are type, width, height, chart/);
    assert.equal(existsSync(output), false);
  });

  it('stops with exit code 1 instead of writing a PNG of one colour', () => {
    const output = join(dir, 'blank.png');
    const run = farm(['render', '-', '-o', output], { input: JSON.stringify({ series: [] }) });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /the chart drew nothing: every pixel is #ffffffff/);
    assert.equal(existsSync(output), false);
  });

  it('refuses an extension it cannot write and one that disagrees with --type or the body', () => {
    const gif = farm(['render', requestFile, '-o', join(dir, 'x.gif')]);
    assert.equal(gif.status, 2);
    assert.match(gif.stderr, /x\.gif: the farm writes \.png, \.jpg, \.jpeg, \.webp, \.svg, \.pdf files, not \.gif/);
    const flag = farm(['render', requestFile, '-o', join(dir, 'x.png'), '--type', 'svg']);
    assert.equal(flag.status, 2);
    assert.match(flag.stderr, /--type asks for svg but -o .*x\.png for png/);
    const body = farm(['render', '-', '-o', join(dir, 'x.png')], { input: JSON.stringify({ type: 'jpeg', option: BAR_OPTION }) });
    assert.equal(body.status, 2);
    assert.match(body.stderr, /the "type" of stdin asks for jpeg but -o .*x\.png for png/);
  });

  it('refuses to write a binary image to a terminal, with or without -o -', () => {
    for (const args of [['render', requestFile], ['render', requestFile, '-o', '-']]) {
      const run = farmOnTerminal(args);
      assert.equal(run.status, 2, run.output);
      assert.match(run.output, /a png image is binary and stdout is a terminal: write it to a file with -o chart\.png/);
    }
  });

  it('names the themes there are when --theme is unknown', () => {
    const run = farm(['render', requestFile, '-o', join(dir, 'theme.png'), '--theme', 'no-such-theme']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /theme "no-such-theme" is not registered; --theme takes one of: .*\bdark\b/);
  });
});

describe('echarts-farm help, version and flags', () => {
  it('prints the version with --version and -v', () => {
    const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) assert.equal(farm([flag]).stdout.toString(), `echarts-farm ${version}\n`);
  });

  it('prints the overview with -h, --help and help', () => {
    for (const args of [['-h'], ['--help'], ['help']]) {
      const run = farm(args);
      assert.equal(run.status, 0);
      assert.match(run.stdout.toString(), /^usage: echarts-farm <command>/);
    }
  });

  it("prints each command's own usage, with examples, for help <command>, --help and -h", () => {
    for (const command of ['serve', 'api', 'worker', 'tasks', 'config', 'render']) {
      for (const args of [['help', command], [command, '--help'], [command, '-h']]) {
        const run = farm(args);
        assert.equal(run.status, 0, `${args.join(' ')}: ${run.stderr}`);
        assert.match(run.stdout.toString(), new RegExp(`^usage: echarts-farm ${command}[\\s\\S]*\\nexamples?:\\n  `), args.join(' '));
      }
    }
    const unknown = farm(['help', 'paint']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "paint"/);
  });

  it("answers an unknown flag with the flag and the command's usage, not Node's parser text", () => {
    const render = farm(['render', 'x.json', '--colour', 'red']);
    assert.equal(render.status, 2);
    assert.match(render.stderr, /^echarts-farm render: unknown flag --colour\nusage: echarts-farm render/);
    assert.doesNotMatch(render.stderr, /positional argument/);
    const serve = farm(['serve', '--port', '8080']);
    assert.equal(serve.status, 2);
    assert.match(serve.stderr, /^echarts-farm serve: unknown flag --port\nusage: echarts-farm serve/);
    const missing = farm(['render', 'x.json', '-o']);
    assert.match(missing.stderr, /^echarts-farm render: --output takes a value/);
  });

  it('says which golden action is unknown', () => {
    const run = farm(['golden', 'chek', 'x']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /unknown action "chek" \(the one action is check\)/);
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
