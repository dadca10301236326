/** `echarts-farm parity <dir>`: browser SVG against server-side SVG, chart by chart, as a table and JSON. */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../config/settings.js';
import { validationError } from '../errors/farm-error.js';
import { checkParity } from '../regression/parity-check.js';
import { parityTable } from '../regression/parity-table.js';
import { startCommandRenderer } from './command-renderer.js';
import { PARITY_USAGE } from './regression-usage.js';

/** Makes the report; answers the exit code (0 once it is made, whatever it says). */
export async function parityCommand(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'string' } } });
  const [dir] = positionals;
  if (!dir || positionals.length !== 1) throw validationError('INVALID_REQUEST', `say which folder to compare\n${PARITY_USAGE}`);
  // Neither engine runs scripts here: parity lists them as skipped, so functions stay off.
  const renderer = await startCommandRenderer(config, false);
  try {
    const report = await checkParity(renderer, dir);
    const json = `${JSON.stringify(report, null, 2)}\n`;
    if (values.json === '-') {
      process.stdout.write(json);
    } else {
      process.stdout.write(parityTable(report));
      if (values.json !== undefined) await writeFile(values.json, json);
    }
    return 0;
  } finally {
    await renderer.close();
  }
}
