/** `echarts-farm render`: one chart from a file or stdin to a file or stdout. */
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config/settings.js';
import { validationError } from '../errors/farm-error.js';
import { parseRenderRequest, type ImageType } from '../renderer/render-request.js';
import { CHART_RENDER_FLAGS, chartRenderFields } from './command-flags.js';
import { startCommandRenderer } from './command-renderer.js';
import { RENDER_USAGE } from './render-usage.js';
import { asksForReport } from './report-usage.js';

const EXTENSION_TYPES: Record<string, ImageType> = {
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.webp': 'webp',
  '.svg': 'svg',
  '.pdf': 'pdf',
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseOption(text: string, source: string, isScript: boolean): unknown {
  if (isScript) return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw validationError('INVALID_JSON', `${source} is not valid JSON (${(error as Error).message}); JavaScript options need --script`);
  }
}

function outputType(explicit: string | undefined, output: string | undefined): string {
  if (explicit !== undefined) return explicit;
  const byExtension = output && output !== '-' ? EXTENSION_TYPES[extname(output).toLowerCase()] : undefined;
  return byExtension ?? 'png';
}

export async function renderCommand(args: string[], config: Config): Promise<number> {
  // Several files (or a .zip) make one report: cli/report-command.ts.
  if (asksForReport(args)) return (await import('./report-command.js')).reportCommand(args, config);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...CHART_RENDER_FLAGS,
      script: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 1) throw validationError('INVALID_REQUEST', `one option file at a time\n${RENDER_USAGE}`);
  const input = positionals[0] ?? '-';
  const output = values.output;
  if (output === undefined && process.stdout.isTTY) throw validationError('INVALID_REQUEST', `say where the image goes with -o\n${RENDER_USAGE}`);

  const fromStdin = input === '-';
  const text = fromStdin ? await readStdin() : await readFile(input, 'utf8');
  const isScript = values.script || (!fromStdin && extname(input).toLowerCase() === '.js');
  const allowFunctions = config.allowFunctions || values['allow-functions'];
  const type = outputType(values.type, output);
  const request = parseRenderRequest(
    {
      option: parseOption(text, fromStdin ? 'stdin' : input, isScript),
      ...chartRenderFields(values),
      type,
    },
    { allowFunctions },
  );

  const renderer = await startCommandRenderer(config, allowFunctions);
  try {
    const result = await renderer.render(request);
    if (output === undefined || output === '-') process.stdout.write(result.bytes);
    else await writeFile(output, result.bytes);
    if (output !== undefined && output !== '-') {
      process.stderr.write(
        `${output}: ${request.type} ${result.pixelWidth}x${result.pixelHeight}, ${result.bytes.length} bytes in ${Math.round(result.steps.totalMs)} ms\n`,
      );
    }
  } finally {
    await renderer.close();
  }
  return 0;
}
