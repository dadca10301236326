/** `echarts-farm golden check <dir>`: a golden folder rendered and compared, with a JSON result and an HTML report. */
import { parseArgs } from 'node:util';
import type { Config } from '../config/settings.js';
import { validationError } from '../errors/farm-error.js';
import { checkGoldenFolder, type GoldenEntry } from '../regression/golden-check.js';
import { describeEntry, writeGoldenReport } from '../regression/golden-report.js';
import { shareFlag } from './command-flags.js';
import { startCommandRenderer } from './command-renderer.js';
import { GOLDEN_USAGE } from './regression-usage.js';

function progressLine(entry: GoldenEntry): string {
  const details = entry.status === 'pass' ? '' : describeEntry(entry);
  return `${entry.status.padEnd(8)} ${entry.name}${details ? `: ${details}` : ''}\n`;
}

/** The command line that was run, with --update: what approves the images it found different. */
function updateCommand(args: string[]): string {
  const quoted = args.map((arg) => (/^[\w./:=,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`));
  return ['echarts-farm', 'golden', ...quoted, '--update'].join(' ');
}

/** Runs the check; answers the exit code (0 when every chart matched). */
export async function goldenCommand(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      update: { type: 'boolean', default: false },
      report: { type: 'string', default: 'golden-report' },
      threshold: { type: 'string' },
      'color-threshold': { type: 'string' },
      'ignore-antialiasing': { type: 'boolean', default: false },
      'allow-functions': { type: 'boolean', default: false },
    },
  });
  const [action, dir] = positionals;
  if (action !== 'check') {
    const problem = action === undefined ? 'say what to do' : `unknown action "${action}" (the one action is check)`;
    throw validationError('INVALID_REQUEST', `${problem}\n${GOLDEN_USAGE}`);
  }
  if (!dir || positionals.length !== 2) throw validationError('INVALID_REQUEST', `say which one folder to check\n${GOLDEN_USAGE}`);
  const allowFunctions = config.allowFunctions || values['allow-functions'];
  const threshold = shareFlag(values.threshold, 'threshold', 0);
  const colorThreshold = shareFlag(values['color-threshold'], 'color-threshold', 0);

  const renderer = await startCommandRenderer(config, allowFunctions);
  try {
    const result = await checkGoldenFolder(renderer, {
      // As given: the report and result.json show the paths the user typed, relative ones stay relative.
      dir,
      reportDir: values.report,
      update: values.update,
      allowFunctions,
      threshold,
      compare: { colorThreshold, ignoreAntialiasing: values['ignore-antialiasing'] },
      onEntry: (entry) => process.stdout.write(progressLine(entry)),
    });
    const files = await writeGoldenReport(result);
    const counts = Object.entries(result.counts)
      .filter(([, count]) => count > 0)
      .map(([status, count]) => `${count} ${status}`)
      .join(', ');
    process.stdout.write(`\n${result.passed ? 'passed' : 'FAILED'}: ${counts || 'no charts'} (fingerprint ${result.fingerprint.hash})\n`);
    if (result.goldenFingerprint) {
      process.stdout.write(`note: the goldens were made under fingerprint ${result.goldenFingerprint}; differences may be drift\n`);
    }
    process.stdout.write(`report: ${files.html}\nresult: ${files.json}\n`);
    if (!result.passed && !values.update) {
      process.stdout.write(`when the new images are right, approve them with: ${updateCommand(args)}\n`);
    }
    return result.passed ? 0 : 1;
  } finally {
    await renderer.close();
  }
}
