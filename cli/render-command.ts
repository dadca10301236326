/** `echarts-farm render`: one chart from a file or stdin to a file or stdout. */
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config/settings.js';
import { processingError, validationError } from '../errors/farm-error.js';
import { decodePng } from '../renderer/image-compare.js';
import type { RenderRequest } from '../renderer/render-request.js';
import { parseGenerateRequest } from '../server/chart-requests.js';
import { CHART_RENDER_FLAGS, chartRenderFields } from './command-flags.js';
import { startCommandRenderer } from './command-renderer.js';
import { agreedType, checkOutputTarget, checkSomethingIsDrawn, inCommandLineTerms, isRequestBody } from './render-input.js';
import { RENDER_USAGE } from './render-usage.js';
import { asksForReport } from './report-usage.js';

export const RENDER_FLAGS = {
  ...CHART_RENDER_FLAGS,
  script: { type: 'boolean', default: false },
} as const;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw validationError('INVALID_JSON', `${source} is not valid JSON (${(error as Error).message}); JavaScript options need --script`);
  }
}

/** The fields given as flags, only those present: they win over a request body's (the type is agreed on apart). */
function flagFields(values: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const { type: _type, ...fields } = chartRenderFields(values);
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** A PNG of one colour only: the option drew nothing ECharts could see. */
function checkPngDrewSomething(bytes: Buffer): void {
  const { data } = decodePng(bytes);
  const first = data.readUInt32BE(0);
  for (let offset = 4; offset < data.length; offset += 4) if (data.readUInt32BE(offset) !== first) return;
  const colour = `#${first.toString(16).padStart(8, '0')}`;
  throw processingError('RENDER_FAILED', `the chart drew nothing: every pixel is ${colour}; check the option's series and data`);
}

export async function renderCommand(args: string[], config: Config): Promise<number> {
  // Several files (or a .zip) make one report: cli/report-command.ts.
  if (asksForReport(args)) return (await import('./report-command.js')).reportCommand(args, config);
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: RENDER_FLAGS });
  if (positionals.length > 1) throw validationError('INVALID_REQUEST', `one option file at a time\n${RENDER_USAGE}`);
  const input = positionals[0] ?? '-';
  const output = values.output;

  const fromStdin = input === '-';
  const source = fromStdin ? 'stdin' : input;
  const text = fromStdin ? await readStdin() : await readFile(input, 'utf8');
  const isScript = values.script || (!fromStdin && extname(input).toLowerCase() === '.js');
  const allowFunctions = config.allowFunctions || values['allow-functions'];
  if (isScript && !allowFunctions) {
    throw validationError('FUNCTIONS_NOT_ALLOWED', `${source} is JavaScript, which runs only with --allow-functions (or ALLOW_FUNCTIONS=true)`);
  }
  const read = isScript ? text : parseJson(text, source);
  const body = isRequestBody(read) ? read : { option: read };
  const type = agreedType(output, [
    values.type !== undefined ? { type: values.type, named: '--type' } : { type: typeof body.type === 'string' ? body.type : undefined, named: `the "type" of ${source}` },
  ]);
  checkOutputTarget(output, type ?? 'png', process.stdout.isTTY === true);
  checkSomethingIsDrawn(body.option, source);

  let request: RenderRequest;
  try {
    request = parseGenerateRequest({ ...body, ...flagFields(values), ...(type ? { type } : {}) }, {}, { allowFunctions }).render;
  } catch (error) {
    throw inCommandLineTerms(error);
  }

  const renderer = await startCommandRenderer(config, allowFunctions);
  try {
    const result = await renderer.render(request).catch((error: unknown) => {
      throw inCommandLineTerms(error);
    });
    if (request.type === 'png') checkPngDrewSomething(result.bytes);
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
