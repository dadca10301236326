/**
 * Start-up either ends listening or ends the process: a Redis that does not answer, a REDIS_URL that
 * is no Redis URL and a port already taken each stop the farm quickly with a non-zero exit that says
 * why, and leave no Chromium behind.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { packageRoot } from '../../renderer/package-root.js';
import { sparePort, takenPort } from '../helpers/spare-port.js';

interface Ended {
  code: number | null;
  stderr: string;
  elapsedMs: number;
  /** Processes still running whose command line names the run's own temporary folder (Chromium's profile lives there). */
  leftovers: number[];
}

/** Pids whose command line mentions `marker`. */
function processesNaming(marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) pids.push(Number(name));
    } catch {
      // ended while we looked
    }
  }
  return pids;
}

const started: number[] = [];
after(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Runs `echarts-farm <role>` and waits at most `limitMs` for it to exit on its own. */
async function runUntilExit(role: string, env: Record<string, string>, limitMs: number): Promise<Ended> {
  // Chromium's profile goes below TMPDIR, so its processes name this folder on their command line.
  const runDir = mkdtempSync(join(tmpdir(), 'farm-failfast-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'cli', 'main.ts'), role], {
    cwd: packageRoot(),
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', POOL_BROWSERS: '1', TMPDIR: runDir, CANARY_DIR: join(runDir, 'canary'), LOCAL_STORAGE_DIR: join(runDir, 'data'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child.pid!);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.resume();
  const begin = Date.now();
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const limit = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), limitMs).unref());
  const outcome = await Promise.race([exited, limit]);
  const elapsedMs = Date.now() - begin;
  const leftovers = processesNaming(runDir);
  if (outcome === 'still running') {
    child.kill('SIGKILL');
    for (const pid of leftovers) process.kill(pid, 'SIGKILL');
    assert.fail(`echarts-farm ${role} still running after ${limitMs} ms; stderr: ${stderr}`);
  }
  for (const pid of leftovers) process.kill(pid, 'SIGKILL');
  return { code: outcome, stderr, elapsedMs, leftovers };
}

describe('start-up fails fast', () => {
  for (const role of ['serve', 'worker', 'api']) {
    it(`${role}: a Redis nobody answers at exits 78 within 10 s naming REDIS_URL, before launching Chromium`, async () => {
      const url = `redis://127.0.0.1:${await sparePort()}`;
      const ended = await runUntilExit(role, { REDIS_URL: url }, 20_000);
      assert.equal(ended.code, 78, ended.stderr);
      assert.ok(ended.elapsedMs < 10_000, `took ${ended.elapsedMs} ms`);
      assert.match(ended.stderr, new RegExp(`REDIS_URL ${url}: connection refused`));
      assert.doesNotMatch(ended.stderr, /max retries per request/i);
      assert.deepEqual(ended.leftovers, []);
    });
  }

  it('a REDIS_URL that is no redis:// URL is refused at once, naming the variable', async () => {
    const ended = await runUntilExit('serve', { REDIS_URL: 'http://x' }, 20_000);
    assert.equal(ended.code, 78, ended.stderr);
    assert.match(ended.stderr, /REDIS_URL/);
    assert.match(ended.stderr, /redis:\/\/ or rediss:\/\//);
    assert.doesNotMatch(ended.stderr, /ENOENT/);
  });

  it('the password of an unreachable REDIS_URL is not printed', async () => {
    const ended = await runUntilExit('worker', { REDIS_URL: `redis://:hunter2@127.0.0.1:${await sparePort()}` }, 20_000);
    assert.equal(ended.code, 78, ended.stderr);
    assert.match(ended.stderr, /REDIS_URL redis:\/\/:\[redacted\]@127\.0\.0\.1:\d+: connection refused/);
    assert.doesNotMatch(ended.stderr, /hunter2/);
  });

  it('a port already taken ends start-up non-zero and closes the Chromium it launched', async () => {
    const taken = await takenPort();
    try {
      const ended = await runUntilExit('serve', { PORT: String(taken.port) }, 60_000);
      assert.notEqual(ended.code, 0);
      assert.notEqual(ended.code, null);
      assert.match(ended.stderr, /EADDRINUSE|in use/);
      assert.deepEqual(ended.leftovers, [], 'Chromium processes outlived the farm');
    } finally {
      taken.server.close();
    }
  });
});
