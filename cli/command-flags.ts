/** Parsers for the values of command-line flags; a bad value is a VALIDATION_ERROR (exit code 2). */
import { validationError } from '../errors/farm-error.js';

/** `--flag <number>`; undefined when the flag is absent. */
export function numberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw validationError('INVALID_REQUEST', `--${flag} takes a number, got "${value}"`);
  return parsed;
}

/** `--flag <share>`: a number from 0 to 1; `fallback` when the flag is absent. */
export function shareFlag(value: string | undefined, flag: string, fallback: number): number {
  const share = numberFlag(value, flag) ?? fallback;
  if (share < 0 || share > 1) throw validationError('INVALID_REQUEST', `--${flag} takes a share from 0 to 1 (0.01 is 1%), got ${share}`);
  return share;
}

/** The flags of one chart's render (`render`, and each chart of a report), for `parseArgs`. */
export const CHART_RENDER_FLAGS = {
  output: { type: 'string', short: 'o' },
  type: { type: 'string' },
  width: { type: 'string' },
  height: { type: 'string' },
  dpr: { type: 'string' },
  theme: { type: 'string' },
  background: { type: 'string' },
  quality: { type: 'string' },
  renderer: { type: 'string' },
  seed: { type: 'string' },
  'frozen-time': { type: 'string' },
  'allow-functions': { type: 'boolean', default: false },
} as const;

/** The render fields those flags give, before `parseRenderRequest` checks them. */
export function chartRenderFields(values: { [Flag in keyof typeof CHART_RENDER_FLAGS]?: string | boolean }) {
  const text = (flag: keyof typeof CHART_RENDER_FLAGS) => values[flag] as string | undefined;
  return {
    type: text('type'),
    width: numberFlag(text('width'), 'width'),
    height: numberFlag(text('height'), 'height'),
    devicePixelRatio: numberFlag(text('dpr'), 'dpr'),
    quality: numberFlag(text('quality'), 'quality'),
    theme: text('theme'),
    backgroundColor: text('background'),
    renderer: text('renderer'),
    seed: numberFlag(text('seed'), 'seed'),
    frozenTime: text('frozen-time'),
  };
}
