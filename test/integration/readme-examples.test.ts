/**
 * The README's examples as a reader runs them: its code blocks are extracted from README.md and run
 * with bash against a started farm (`http://localhost:3000` becomes the farm's address, `npx
 * echarts-farm` this checkout's command), in a folder of their own.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { packageRoot } from '../../renderer/package-root.js';
import { startFarmProcess, type FarmProcess } from '../helpers/farm-process.js';
import { decodePng } from '../helpers/pixels.js';
import { BAR_OPTION } from '../helpers/renderer.js';

const run = promisify(execFile);
const root = packageRoot();
const readme = readFileSync(join(root, 'README.md'), 'utf8');
let farm: FarmProcess;

/** The first ```sh block after `heading`. */
function shellBlockAfter(heading: string): string {
  const start = readme.indexOf(heading);
  assert.ok(start >= 0, `README has "${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start));
  assert.ok(block, `a sh block after "${heading}"`);
  return block[1]!;
}

/** Runs README lines with bash in a fresh folder, addressed to the started farm and this checkout's command. */
async function runAsReader(script: string, files: Record<string, string> = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'farm-readme-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  // tsx by its file URL: the reader's folder has no node_modules.
  const command = `${process.execPath} --import ${import.meta.resolve('tsx')} ${join(root, 'cli', 'main.ts')}`;
  const adapted = `set -euo pipefail\n${script.replaceAll('http://localhost:3000', farm.url).replaceAll('npx echarts-farm', command)}`;
  await run('bash', ['-c', adapted], { cwd: dir, timeout: 120_000, env: { ...process.env, LOG_LEVEL: 'silent', NODE_OPTIONS: '' } });
  return dir;
}

before(async () => {
  farm = await startFarmProcess('serve', { LOCAL_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'farm-readme-images-')) });
});

after(() => farm?.stop('SIGKILL'));

describe('README examples', () => {
  it('"Render a chart": the curl call writes the PNG', async () => {
    const dir = await runAsReader(shellBlockAfter('## Render a chart'));
    const png = decodePng(readFileSync(join(dir, 'chart.png')));
    assert.deepEqual([png.width, png.height], [600, 400]);
  });

  it('"Command line": each render line writes its image, from an option and from a request body', async () => {
    const option = JSON.stringify(BAR_OPTION);
    const request = JSON.stringify({ type: 'png', width: 300, height: 200, option: BAR_OPTION });
    const dir = await runAsReader(shellBlockAfter('### Command line'), { 'option.json': option, 'request.json': request });
    const png = decodePng(readFileSync(join(dir, 'chart.png')));
    assert.deepEqual([png.width, png.height], [300, 200], 'the last line, from request.json, wrote chart.png last');
    assert.match(readFileSync(join(dir, 'chart.svg'), 'utf8'), /^<svg/);
  });
});
