/** What every benchmark record of bench/ opens with, and where its files go. */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import type { Machine } from '../measure/machine.js';
import type { RenderFingerprint } from '../renderer/fingerprint.js';
import { packageRoot } from '../renderer/package-root.js';

/** The farm's code that was measured: the renderer changes under the benchmark, so say which one. */
export interface FarmSource {
  commit: string;
  uncommittedChanges: boolean;
  fingerprint: RenderFingerprint;
}

/** HEAD and whether the work tree differs from it; `unknown` outside a git checkout. */
export function describeSource(): { commit: string; uncommittedChanges: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: packageRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { commit: git('rev-parse', 'HEAD'), uncommittedChanges: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return { commit: 'unknown', uncommittedChanges: false };
  }
}

/** The installed version of a dependency, from its package.json. */
export function packageVersion(name: string): string {
  const require = createRequire(import.meta.url);
  return (require(`${name}/package.json`) as { version: string }).version;
}

/** The farm's code that was measured, in one line. */
export function farmLine(farm: FarmSource): string {
  return (
    `Farm: commit ${farm.commit.slice(0, 12)}${farm.uncommittedChanges ? ' with uncommitted changes' : ''}, ` +
    `render fingerprint ${farm.fingerprint.hash} (page template ${farm.fingerprint.template}).`
  );
}

/** The fields every benchmark record opens with: what ran, when, where, with what. */
export function recordHeader<B extends string, V, S>(
  benchmark: B,
  input: { startedAt: Date; machine: Machine; versions: V; settings: S },
  run: { rounds: number; measuredMs: number },
) {
  return {
    benchmark,
    date: input.startedAt.toISOString().slice(0, 10),
    startedAt: input.startedAt.toISOString(),
    wallMs: Date.now() - input.startedAt.getTime(),
    machine: { ...input.machine, loadAverage: { start: input.machine.loadAverage.start, end: loadavg()[0]! } },
    versions: input.versions,
    settings: input.settings,
    rounds: run.rounds,
    measuredMs: run.measuredMs,
  };
}

/** Where a run's files go, and the README's path relative to there (for the markdown's link). */
export function resultsLocation(benchDir: string, mode: 'quick' | 'full'): { dir: string; readme: string } {
  const dir = join(benchDir, 'results', mode === 'quick' ? 'quick' : '');
  return { dir, readme: relative(dir, join(benchDir, 'README.md')) };
}
