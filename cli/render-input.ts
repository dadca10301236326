/**
 * What `echarts-farm render` reads and where it writes: an ECharts option or a whole request body
 * (told apart by its `option` field), the image type agreed between `--type`, the body and the
 * extension of `-o`, and the checks that keep the command from silently drawing nothing.
 */
import { extname } from 'node:path';
import { FarmError, isFarmError, validationError } from '../errors/farm-error.js';
import type { ImageType } from '../renderer/render-request.js';

export const EXTENSION_TYPES: Readonly<Record<string, ImageType>> = {
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.webp': 'webp',
  '.svg': 'svg',
  '.pdf': 'pdf',
};

/** Types whose bytes would garble a terminal. */
const BINARY_TYPES: ReadonlySet<string> = new Set(['png', 'jpeg', 'webp', 'pdf']);

/**
 * ECharts' top-level components that put something on the canvas. An option with none of them draws
 * an empty image: most often a request body (`{type, width, option}`) read as if it were the option.
 */
const DRAWING_COMPONENTS: readonly string[] = [
  'series', 'title', 'graphic', 'legend', 'xAxis', 'yAxis', 'grid', 'polar', 'radiusAxis', 'angleAxis',
  'radar', 'geo', 'parallel', 'parallelAxis', 'singleAxis', 'calendar', 'matrix', 'timeline',
  'visualMap', 'dataZoom', 'toolbox', 'baseOption', 'options',
];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A JSON object with an `option` field is a request body; ECharts itself has no `option` component. */
export function isRequestBody(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && 'option' in value;
}

/** Refuses an option ECharts would draw nothing from, before a browser is started. */
export function checkSomethingIsDrawn(option: unknown, source: string): void {
  if (!isPlainObject(option)) return;
  const keys = Object.keys(option);
  if (keys.some((key) => DRAWING_COMPONENTS.includes(key))) return;
  const found = keys.length === 0 ? 'it is empty' : `its fields are ${keys.slice(0, 8).join(', ')}`;
  throw validationError(
    'INVALID_OPTION',
    `${source}: nothing would be drawn: the option has none of ECharts' components (series, title, graphic, xAxis, ...); ${found}`,
    { field: 'option' },
  );
}

/** The type an `-o` file name asks for: undefined without a name or an extension, an error for an unknown one. */
export function extensionType(output: string | undefined): ImageType | undefined {
  if (output === undefined || output === '-') return undefined;
  const extension = extname(output).toLowerCase();
  if (extension === '') return undefined;
  const type = EXTENSION_TYPES[extension];
  if (!type) {
    throw validationError(
      'INVALID_REQUEST',
      `-o ${output}: the farm writes ${Object.keys(EXTENSION_TYPES).join(', ')} files, not ${extension}`,
      { field: 'output' },
    );
  }
  return type;
}

/** Where a type was asked for, to name it when two disagree. */
export interface TypeSource {
  type: string | undefined;
  named: string;
}

/**
 * The one type every source agrees on: `--type`, the request body's `type`, the extension of `-o`.
 * undefined when none asks (the request's default, png, applies).
 */
export function agreedType(output: string | undefined, sources: TypeSource[]): string | undefined {
  const fromExtension = extensionType(output);
  const asked = sources.filter((source) => source.type !== undefined);
  const all = fromExtension ? [...asked, { type: fromExtension, named: `-o ${output}` }] : asked;
  const first = all[0];
  const disagreeing = all.find((source) => source.type !== first?.type);
  if (first && disagreeing) {
    throw validationError(
      'INVALID_REQUEST',
      `${first.named} asks for ${first.type} but ${disagreeing.named} for ${disagreeing.type}; make them agree`,
      { field: 'type' },
    );
  }
  return first?.type;
}

/** Refuses binary bytes for a terminal: they would garble it and help no one. */
export function checkOutputTarget(output: string | undefined, type: string, stdoutIsTerminal: boolean): void {
  const toStdout = output === undefined || output === '-';
  if (toStdout && stdoutIsTerminal && BINARY_TYPES.has(type)) {
    throw validationError(
      'INVALID_REQUEST',
      `a ${type} image is binary and stdout is a terminal: write it to a file with -o chart.${type === 'jpeg' ? 'jpg' : type}, or redirect stdout`,
      { field: 'output' },
    );
  }
}

/**
 * The renderer's and the request parser's errors, worded for the command line: flags instead of
 * server settings, and the themes there are when one is unknown.
 */
export function inCommandLineTerms(error: unknown): unknown {
  if (!isFarmError(error)) return error;
  // renderer ssr never runs JavaScript, whatever the flags: its own message says so.
  if (error.reason === 'FUNCTIONS_NOT_ALLOWED' && !error.message.includes('renderer ssr')) {
    const field = typeof error.details.field === 'string' ? error.details.field : 'option';
    return reworded(error, `${field} is JavaScript, which runs only with --allow-functions (or ALLOW_FUNCTIONS=true)`);
  }
  if (error.reason === 'UNKNOWN_THEME' && Array.isArray(error.details.available)) {
    return reworded(error, `${error.message}; --theme takes one of: ${error.details.available.join(', ')} (more with THEMES_DIR)`);
  }
  return error;
}

function reworded(error: FarmError, message: string): FarmError {
  const { reason, retryable, details } = error;
  return new FarmError({ reason, retryable, details, message, cause: error });
}
