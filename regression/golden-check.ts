/**
 * Golden folders: every chart of a folder (option-folder.ts) is rendered and compared with the image
 * stored beside it, `<name>.png` (pixels, through image-compare.ts) or `<name>.svg` (for
 * `type: "svg"`, text, through svg-diff.ts). Mismatches leave their reference, actual and diff
 * images in the report folder; `update` writes goldens instead of failing. The render fingerprint
 * the goldens were made under is kept beside them, so a report can tell drift (another Chromium,
 * fonts, ECharts) from a change of the charts.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isFarmError } from '../errors/farm-error.js';
import type { ChartRenderer } from '../renderer/chart-renderer.js';
import { fingerprintDifferences, FINGERPRINT_PARTS, type FingerprintPart, type RenderFingerprint } from '../renderer/fingerprint.js';
import { compareImages, ImageSizeMismatchError, withinAllowance, type CompareOptions } from '../renderer/image-compare.js';
import { parseRenderRequest } from '../renderer/render-request.js';
import { readOptionFolder, renderFieldsOf, type OptionFile } from './option-folder.js';
import { compareSvg, type SvgDifference } from './svg-diff.js';

/** What became of one chart. */
export type GoldenStatus = 'pass' | 'fail' | 'missing' | 'error' | 'skipped' | 'created' | 'updated';

/** One chart's line of the result. */
export interface GoldenEntry {
  name: string;
  /** The option file and the golden beside it. */
  option: string;
  golden: string;
  type: 'png' | 'svg';
  status: GoldenStatus;
  /** Why it failed, errored or was skipped, in words. */
  message?: string;
  /** PNG goldens: the figures of the comparison, and the share this chart allows. */
  differingPixels?: number;
  totalPixels?: number;
  share?: number;
  allowedShare?: number;
  /** PNG goldens of another size than the render. */
  size?: { expected: { width: number; height: number }; actual: { width: number; height: number } };
  /** SVG goldens that differ: where, and how much. */
  svg?: { differingElements: number; elements: { expected: number; actual: number }; firstDifference?: SvgDifference };
  /** Images of a mismatch in the report folder, relative to it. */
  images?: { expected?: string; actual?: string; diff?: string };
  renderMs?: number;
}

/** The result of one run, as written to `result.json`. */
export interface GoldenResult {
  dir: string;
  reportDir: string;
  update: boolean;
  startedAt: string;
  durationMs: number;
  fingerprint: RenderFingerprint;
  /** The fingerprint the goldens were made under, when it is not this run's. */
  goldenFingerprint?: string;
  /** With goldenFingerprint: the parts (fonts, flags, …) in which it differs from this run's. */
  goldenFingerprintDiffers?: FingerprintPart[];
  /** No mismatch, no missing golden, no error. */
  passed: boolean;
  counts: Record<GoldenStatus, number>;
  entries: GoldenEntry[];
}

/** How a folder is checked. */
export interface GoldenCheckOptions {
  dir: string;
  /** Where mismatch images go (result.json and report.html are written by golden-report.ts). */
  reportDir: string;
  /** Write missing and differing goldens instead of failing. */
  update: boolean;
  /** Render `.js` option files too (they run in the chart page). */
  allowFunctions: boolean;
  /** Share of pixels (0 to 1) allowed to differ, unless a chart's `.render.json` names its own. */
  threshold: number;
  compare: Pick<CompareOptions, 'colorThreshold' | 'ignoreAntialiasing'>;
  /** Called as each chart is done, for progress output. */
  onEntry?: (entry: GoldenEntry) => void;
}

/** The file beside the goldens that records the fingerprint they were made under. */
export const GOLDEN_FINGERPRINT_FILE = '.golden-fingerprint.json';

const STATUSES: GoldenStatus[] = ['pass', 'fail', 'missing', 'error', 'skipped', 'created', 'updated'];
const IMAGES_DIR = 'images';

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Renders and compares every chart of `options.dir`; never throws for one chart's failure. */
export async function checkGoldenFolder(renderer: Pick<ChartRenderer, 'render' | 'fingerprint'>, options: GoldenCheckOptions): Promise<GoldenResult> {
  const started = Date.now();
  const folder = await readOptionFolder(options.dir, { allowFunctions: options.allowFunctions });
  // Images of an earlier run would be taken for this one's: the folder starts empty.
  await rm(join(options.reportDir, IMAGES_DIR), { recursive: true, force: true });
  await mkdir(join(options.reportDir, IMAGES_DIR), { recursive: true });
  const entries: GoldenEntry[] = [];
  const done = (entry: GoldenEntry): void => {
    entries.push(entry);
    options.onEntry?.(entry);
  };
  for (const file of folder.unreadable) {
    done({ name: file.name, option: file.path, golden: join(options.dir, `${file.name}.png`), type: 'png', status: 'error', message: file.error });
  }
  for (const file of folder.skipped) {
    done({ name: file.name, option: file.path, golden: join(options.dir, `${file.name}.png`), type: 'png', status: 'skipped', message: file.reason });
  }
  for (const chart of folder.charts) done(await checkChart(renderer, chart, options));

  const recorded = await recordedFingerprint(options.dir);
  const wroteGoldens = entries.some((entry) => entry.status === 'created' || entry.status === 'updated');
  if (options.update && (wroteGoldens || recorded === undefined)) {
    await writeFile(join(options.dir, GOLDEN_FINGERPRINT_FILE), `${JSON.stringify(renderer.fingerprint, null, 2)}\n`);
  }
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<GoldenStatus, number>;
  for (const entry of entries) counts[entry.status] += 1;
  entries.sort((a, b) => a.name.localeCompare(b.name));
  return {
    dir: options.dir,
    reportDir: options.reportDir,
    update: options.update,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    fingerprint: renderer.fingerprint,
    ...(recorded !== undefined && recorded.hash !== renderer.fingerprint.hash && !(options.update && wroteGoldens)
      ? { goldenFingerprint: recorded.hash, ...(hasEveryPart(recorded) ? { goldenFingerprintDiffers: fingerprintDifferences(recorded, renderer.fingerprint) } : {}) }
      : {}),
    passed: counts.fail + counts.missing + counts.error === 0,
    counts,
    entries,
  };
}

/** The fingerprint the folder names, as far as its file holds one (older files may lack parts). */
async function recordedFingerprint(dir: string): Promise<(Partial<RenderFingerprint> & { hash: string }) | undefined> {
  const bytes = await readIfPresent(join(dir, GOLDEN_FINGERPRINT_FILE));
  if (!bytes) return undefined;
  try {
    const recorded = JSON.parse(bytes.toString('utf8')) as Partial<RenderFingerprint>;
    return typeof recorded.hash === 'string' ? { ...recorded, hash: recorded.hash } : undefined;
  } catch {
    return undefined;
  }
}

function hasEveryPart(recorded: Partial<RenderFingerprint>): recorded is RenderFingerprint {
  return FINGERPRINT_PARTS.every((part) => recorded[part] !== undefined);
}

async function checkChart(renderer: Pick<ChartRenderer, 'render'>, chart: OptionFile, options: GoldenCheckOptions): Promise<GoldenEntry> {
  const type = chart.settings.type ?? 'png';
  const golden = join(options.dir, `${chart.name}.${type === 'svg' ? 'svg' : 'png'}`);
  const entry: GoldenEntry = { name: chart.name, option: chart.path, golden, type: type === 'svg' ? 'svg' : 'png', status: 'error' };
  if (type !== 'png' && type !== 'svg') return { ...entry, message: `golden checks compare png or svg, not ${type}` };
  let actual: Buffer;
  try {
    const request = parseRenderRequest({ ...renderFieldsOf(chart), type }, { allowFunctions: options.allowFunctions });
    const result = await renderer.render(request);
    actual = result.bytes;
    entry.renderMs = Math.round(result.steps.totalMs);
  } catch (error) {
    return { ...entry, message: isFarmError(error) ? `${error.reason}: ${error.message}` : (error as Error).message };
  }
  const expected = await readIfPresent(golden);
  if (!expected) {
    if (options.update) {
      await writeFile(golden, actual);
      return { ...entry, status: 'created' };
    }
    const images = { actual: await keepImage(options.reportDir, chart.name, 'actual', entry.type, actual) };
    return { ...entry, status: 'missing', message: `no golden ${golden}; run with --update to write it`, images };
  }
  const { diffPng, ...compared } =
    entry.type === 'svg' ? compareSvgGolden(entry, expected, actual) : comparePngGolden(entry, expected, actual, chart, options);
  if (compared.status === 'pass' || compared.status === 'error') return compared;
  if (options.update) {
    await writeFile(golden, actual);
    return { ...compared, status: 'updated' };
  }
  const images = {
    expected: await keepImage(options.reportDir, chart.name, 'expected', entry.type, expected),
    actual: await keepImage(options.reportDir, chart.name, 'actual', entry.type, actual),
    ...(diffPng ? { diff: await keepImage(options.reportDir, chart.name, 'diff', 'png', diffPng) } : {}),
  };
  return { ...compared, images };
}

type Compared = GoldenEntry & { diffPng?: Buffer };

function comparePngGolden(entry: GoldenEntry, expected: Buffer, actual: Buffer, chart: OptionFile, options: GoldenCheckOptions): Compared {
  const allowedShare = chart.settings.threshold ?? options.threshold;
  try {
    const comparison = compareImages(expected, actual, options.compare);
    const figures = { differingPixels: comparison.differingPixels, totalPixels: comparison.totalPixels, share: comparison.share, allowedShare };
    if (withinAllowance(comparison, allowedShare)) return { ...entry, ...figures, status: 'pass' };
    return { ...entry, ...figures, status: 'fail', diffPng: comparison.diffPng };
  } catch (error) {
    if (error instanceof ImageSizeMismatchError) {
      const { expected: e, actual: a } = error;
      return { ...entry, allowedShare, status: 'fail', size: { expected: e, actual: a }, message: `size differs: golden ${e.width}x${e.height}, render ${a.width}x${a.height}` };
    }
    // A golden that is no PNG fails the chart, not the run.
    return { ...entry, status: 'error', message: (error as Error).message };
  }
}

function compareSvgGolden(entry: GoldenEntry, expected: Buffer, actual: Buffer): Compared {
  if (expected.equals(actual)) return { ...entry, status: 'pass' };
  try {
    const comparison = compareSvg(expected.toString('utf8'), actual.toString('utf8'));
    const svg = {
      differingElements: comparison.differingElements,
      elements: comparison.elements,
      ...(comparison.firstDifference ? { firstDifference: comparison.firstDifference } : {}),
    };
    // Equal elements in another serialisation (spacing between tags) are still a changed file.
    return { ...entry, status: 'fail', svg, ...(comparison.equal ? { message: 'same elements, other text' } : {}) };
  } catch (error) {
    return { ...entry, status: 'fail', message: `the SVGs differ and one cannot be read: ${(error as Error).message}` };
  }
}

/** Writes one image of a mismatch into the report folder; answers its path relative to the report. */
async function keepImage(reportDir: string, name: string, role: 'expected' | 'actual' | 'diff', type: 'png' | 'svg', bytes: Buffer): Promise<string> {
  const relative = `${IMAGES_DIR}/${name}.${role}.${type}`;
  await writeFile(join(reportDir, relative), bytes);
  return relative;
}
