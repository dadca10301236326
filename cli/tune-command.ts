/** `echarts-farm tune`: measure pool shapes on this host and recommend the pool settings. */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config/settings.js';
import { validationError } from '../errors/farm-error.js';
import type { PoolShape } from '../measure/pool-shape-target.js';
import { ProgressLine } from '../measure/progress-line.js';
import { DEFAULT_LEVELS, defaultShapes, parseConcurrencyLevel, parsePoolShape, type ConcurrencyLevel } from '../measure/tune-plan.js';
import type { TuneGoal } from '../measure/tune-recommendation.js';
import { formatTuneConsole, writeTuneReport } from '../measure/tune-report.js';
import { runTune, type TuneSettings } from '../measure/tune-run.js';
import { isWorkloadName, type WorkloadName } from '../measure/workloads.js';
import { numberFlag } from './command-flags.js';
import { TUNE_USAGE } from './tune-usage.js';

/** The exit code when no shape met the budget: the run worked, the host cannot do what was asked. */
export const NO_RECOMMENDATION_EXIT_CODE = 3;

function usageError(message: string): Error {
  return validationError('INVALID_REQUEST', `${message}\n${TUNE_USAGE}`);
}

/** `--flag n` that must be above zero; `fallback` when absent. */
function positiveFlag(value: string | undefined, flag: string, fallback?: number): number | undefined {
  const parsed = numberFlag(value, flag) ?? fallback;
  if (parsed !== undefined && !(parsed > 0)) throw usageError(`--${flag} takes a number above 0, got ${parsed}`);
  return parsed;
}

/** A comma-separated list, each item parsed by `parse`; `fallback` when the flag is absent. */
function listFlag<T>(value: string | undefined, flag: string, parse: (item: string) => T | undefined, accepts: string, fallback: T[]): T[] {
  if (value === undefined) return fallback;
  return value.split(',').map((item) => {
    const parsed = parse(item);
    if (parsed === undefined) throw usageError(`--${flag} takes ${accepts}, got "${item}"`);
    return parsed;
  });
}

export interface TuneArguments {
  settings: Omit<TuneSettings, 'config' | 'onProgress'>;
  outDir: string;
}

export function parseTuneArguments(args: string[], cores = availableParallelism()): TuneArguments {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      seconds: { type: 'string' },
      'slice-seconds': { type: 'string' },
      shapes: { type: 'string' },
      concurrency: { type: 'string' },
      goal: { type: 'string', default: 'throughput' },
      'max-p95-ms': { type: 'string' },
      'max-memory-mib': { type: 'string' },
      workload: { type: 'string', default: 'full' },
      out: { type: 'string', default: 'tune-report' },
    },
  });
  if (positionals.length > 0) throw usageError(`tune takes no arguments, got "${positionals.join(' ')}"`);
  if (values.goal !== 'throughput') throw usageError(`--goal takes throughput (the most renders/s within the budget), got "${values.goal}"`);
  if (!isWorkloadName(values.workload)) throw usageError(`--workload takes full or light, got "${values.workload}"`);
  const shapes = listFlag<PoolShape>(values.shapes, 'shapes', parsePoolShape, 'browsers x pages per browser, e.g. 2x1', defaultShapes(cores));
  const levels = listFlag<ConcurrencyLevel>(values.concurrency, 'concurrency', parseConcurrencyLevel, 'whole numbers or pages, 2xpages', [...DEFAULT_LEVELS]);
  const goal: TuneGoal = {
    goal: 'throughput',
    maxP95Ms: positiveFlag(values['max-p95-ms'], 'max-p95-ms'),
    maxMemoryMiB: positiveFlag(values['max-memory-mib'], 'max-memory-mib'),
  };
  return {
    settings: {
      shapes,
      levels,
      workload: values.workload as WorkloadName,
      measureSeconds: positiveFlag(values.seconds, 'seconds', 180)!,
      sliceSeconds: positiveFlag(values['slice-seconds'], 'slice-seconds', 2)!,
      goal,
    },
    outDir: resolve(values.out),
  };
}

export async function tuneCommand(args: string[], config: Config): Promise<number> {
  const { settings, outDir } = parseTuneArguments(args);
  const progress = new ProgressLine();
  const result = await runTune({ ...settings, config, onProgress: (text) => progress.update(text) });
  progress.update('drawing the report chart');
  const files = await writeTuneReport(result, outDir, config);
  progress.done(`measured ${result.rows.length} (pool, concurrency) cells; report in ${files.markdown}, ${files.json}, ${files.png}`);
  process.stdout.write(`${formatTuneConsole(result)}\n`);
  if (result.recommendation.settings) return 0;
  process.stderr.write(
    `echarts-farm tune: ${result.recommendation.reason}; loosen --max-p95-ms or --max-memory-mib, or try other --shapes\n`,
  );
  return NO_RECOMMENDATION_EXIT_CODE;
}
