/** Runs `echarts-farm` as a person does: a real process from the sources, its exit code and output. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../renderer/package-root.js';

/** How a command ended. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `echarts-farm <args>` to its end (logs silent unless `env` says otherwise). */
export function runFarm(args: string[], options: { input?: string | Buffer; env?: Record<string, string>; timeoutMs?: number } = {}): CliRun {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(packageRoot(), 'cli', 'main.ts'), ...args], {
    cwd: packageRoot(),
    input: options.input,
    env: { ...process.env, LOG_LEVEL: 'silent', ...options.env },
    timeout: options.timeoutMs ?? 120_000,
  });
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}
