/** Runs `echarts-farm <role>` as a real child process and reads its JSON log for the port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../renderer/package-root.js';

export interface FarmProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` for roles with HTTP. */
  url: string;
  /** Every log line so far, parsed. */
  logs: Record<string, unknown>[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startFarmProcess(role: 'serve' | 'api' | 'worker', env: Record<string, string>, readyTimeoutMs = 60_000): Promise<FarmProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'cli', 'main.ts'), role], {
    cwd: packageRoot(),
    // CANARY_DIR: the canary's goldens stay in a folder of the test's own, not in the checkout's ./data.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', POOL_BROWSERS: '1', CANARY_DIR: mkdtempSync(join(tmpdir(), 'farm-canary-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const ready = new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (typeof entry.port === 'number') resolve(`http://127.0.0.1:${entry.port}`);
          if (role === 'worker' && entry.msg === 'echarts-farm worker taking tasks') resolve('');
        } catch {
          // not a log line
        }
      }
    });
    void exited.then((code) => reject(new Error(`echarts-farm ${role} exited with ${code} before it was ready: ${stderr}`)));
    setTimeout(() => reject(new Error(`echarts-farm ${role} not ready after ${readyTimeoutMs} ms: ${stderr}`)), readyTimeoutMs).unref();
  });
  const url = await ready;
  return {
    child,
    url,
    logs,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
