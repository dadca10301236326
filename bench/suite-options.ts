/** The arguments of `npm run bench`; anything else stops the run with the usage. */
export type SuiteMode = 'full' | 'quick' | 'smoke';

export interface SuiteOptions {
  mode: SuiteMode;
  /** Where the results go instead of bench/ (the smoke test's temporary folder). */
  outDir?: string;
  /** A record of an earlier run: the change of every figure is printed after this run. */
  compareWith?: string;
  /** With `compareWith`: compare this record with it instead of running. */
  compareRecord?: string;
}

export const SUITE_USAGE =
  'npm run bench [-- --quick | --smoke] [--out <dir>] [--compare <old.json> [<new.json>]]\n' +
  '  --quick    about 2–3 minutes instead of 10\n' +
  '  --smoke    a few seconds per section, to see that every part still works\n' +
  '  --out      write the results into <dir> instead of bench/\n' +
  '  --compare  print the change of every figure against an earlier record; with a second record, compare the two without running';

export class UsageError extends Error {}

export function parseSuiteOptions(args: readonly string[]): SuiteOptions {
  const options: SuiteOptions = { mode: 'full' };
  const valueOf = (index: number, flag: string): string => {
    const value = args[index + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return value;
  };
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--quick' || arg === '--smoke') {
      if (options.mode !== 'full') throw new UsageError('--quick and --smoke exclude each other');
      options.mode = arg === '--quick' ? 'quick' : 'smoke';
    } else if (arg === '--out') {
      options.outDir = valueOf(index, arg);
      index += 1;
    } else if (arg === '--compare') {
      options.compareWith = valueOf(index, arg);
      index += 1;
      const next = args[index + 1];
      if (next !== undefined && !next.startsWith('--')) {
        options.compareRecord = next;
        index += 1;
      }
    } else {
      throw new UsageError(`unknown argument ${arg}`);
    }
  }
  return options;
}

/** Reads `process.argv`; a bad argument prints the usage and exits with 2. */
export function readSuiteOptions(args: readonly string[] = process.argv.slice(2)): SuiteOptions {
  try {
    return parseSuiteOptions(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\nusage: ${SUITE_USAGE}`);
    process.exit(2);
  }
}
