/** `echarts-farm compare`: the pixels two PNGs differ by, with an optional diff image. */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { validationError } from '../errors/farm-error.js';
import { compareDecoded, decodePng, describeDifference, withinAllowance } from '../renderer/image-compare.js';
import { shareFlag } from './command-flags.js';
import { COMPARE_USAGE } from './regression-usage.js';

/** Compares the two PNGs named in `args`; answers the exit code (0 within the threshold, 1 above). */
export async function compareCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      threshold: { type: 'string' },
      'color-threshold': { type: 'string' },
      'ignore-antialiasing': { type: 'boolean', default: false },
      diff: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [expectedPath, actualPath] = positionals;
  if (positionals.length !== 2 || !expectedPath || !actualPath) {
    throw validationError('INVALID_REQUEST', `compare takes two PNG files\n${COMPARE_USAGE}`);
  }
  const threshold = shareFlag(values.threshold, 'threshold', 0);
  const colorThreshold = shareFlag(values['color-threshold'], 'color-threshold', 0);
  const [expected, actual] = await Promise.all([readFile(expectedPath), readFile(actualPath)]);
  const comparison = compareDecoded(decodePng(expected, expectedPath), decodePng(actual, actualPath), {
    colorThreshold,
    ignoreAntialiasing: values['ignore-antialiasing'],
    diffImage: values.diff !== undefined,
  });
  if (values.diff !== undefined && comparison.diffPng) await writeFile(values.diff, comparison.diffPng);
  const match = withinAllowance(comparison, threshold);
  const { diffPng: _diffPng, ...figures } = comparison;
  if (values.json) {
    const report = { expected: expectedPath, actual: actualPath, ...figures, threshold, match, ...(values.diff ? { diff: values.diff } : {}) };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const verdict = match ? 'within' : 'above';
    process.stdout.write(
      `${expectedPath} vs ${actualPath}: ${comparison.width}x${comparison.height}, ${describeDifference(comparison)} differ; ` +
        `${verdict} the threshold of ${threshold * 100}%${values.diff ? `; diff in ${values.diff}` : ''}\n`,
    );
  }
  return match ? 0 : 1;
}
