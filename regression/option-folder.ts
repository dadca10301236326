/**
 * A folder of charts as golden checks and parity reports read it: every `<name>.json` is an option,
 * every `<name>.js` a script declaring `var option` (only when functions are allowed), and an
 * optional `<name>.render.json` beside it says how to render that one. Only the folder's own files
 * are read, not its subfolders; names starting with a dot are left alone.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { validationError } from '../errors/farm-error.js';
import { describeIssues, IMAGE_TYPES, type RenderFields } from '../renderer/render-request.js';

/** The fields a `<name>.render.json` may hold; anything else is refused, so a typo cannot pass unseen. */
export const renderSettingsSchema = z.strictObject({
  width: z.number().optional(),
  height: z.number().optional(),
  type: z.enum(IMAGE_TYPES).optional(),
  theme: z.string().optional(),
  /** Device pixel ratio. */
  dpr: z.number().optional(),
  backgroundColor: z.string().optional(),
  renderer: z.enum(['canvas', 'svg']).optional(),
  seed: z.number().optional(),
  frozenTime: z.string().optional(),
  /** Share of pixels (0 to 1) this chart's golden check allows to differ. */
  threshold: z.number().min(0).max(1).optional(),
});

/** A validated `<name>.render.json`. */
export type RenderSettings = z.infer<typeof renderSettingsSchema>;

/** One chart of the folder. */
export interface OptionFile {
  /** The file name without `.json` or `.js`. */
  name: string;
  path: string;
  /** The parsed option, or the script's source for a `.js` file. */
  option: Record<string, unknown> | string;
  settings: RenderSettings;
}

/** A file of the folder that is not rendered, and why. */
export interface SkippedFile {
  name: string;
  path: string;
  reason: string;
}

/** A chart file that could not be read (bad JSON, bad render settings). */
export interface UnreadableFile {
  name: string;
  path: string;
  error: string;
}

/** What a folder holds. */
export interface OptionFolder {
  charts: OptionFile[];
  skipped: SkippedFile[];
  unreadable: UnreadableFile[];
}

const SETTINGS_SUFFIX = '.render.json';

/** The render fields of a chart: its settings mapped onto the request fields (`dpr` → `devicePixelRatio`). */
export function renderFieldsOf(chart: OptionFile): RenderFields {
  const { dpr, threshold: _threshold, ...rest } = chart.settings;
  return { ...rest, ...(dpr !== undefined ? { devicePixelRatio: dpr } : {}), option: chart.option };
}

async function readSettings(path: string): Promise<RenderSettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const parsed = renderSettingsSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(describeIssues(parsed.error).map((issue) => `${issue.field} ${issue.problem}`).join('; '));
  return parsed.data;
}

/**
 * Reads the charts of `dir`. `.js` files are listed as skipped unless `allowFunctions`. Throws a
 * VALIDATION_ERROR when `dir` is no folder.
 */
export async function readOptionFolder(dir: string, options: { allowFunctions: boolean }): Promise<OptionFolder> {
  let files: string[];
  try {
    files = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name).sort();
  } catch (error) {
    throw validationError('INVALID_REQUEST', `${dir} is not a folder that can be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const folder: OptionFolder = { charts: [], skipped: [], unreadable: [] };
  for (const file of files) {
    if (file.startsWith('.') || file.endsWith(SETTINGS_SUFFIX)) continue;
    const isScript = file.endsWith('.js');
    if (!isScript && !file.endsWith('.json')) continue;
    const name = file.slice(0, file.lastIndexOf('.'));
    const path = join(dir, file);
    if (isScript && !options.allowFunctions) {
      folder.skipped.push({ name, path, reason: 'JavaScript option: needs --allow-functions or ALLOW_FUNCTIONS=true' });
      continue;
    }
    const settingsPath = join(dir, `${name}${SETTINGS_SUFFIX}`);
    try {
      const text = await readFile(path, 'utf8');
      const option = isScript ? text : (JSON.parse(text) as Record<string, unknown>);
      let settings: RenderSettings;
      try {
        settings = await readSettings(settingsPath);
      } catch (error) {
        throw new Error(`${settingsPath}: ${(error as Error).message}`);
      }
      folder.charts.push({ name, path, option, settings });
    } catch (error) {
      folder.unreadable.push({ name, path, error: (error as Error).message });
    }
  }
  return folder;
}
