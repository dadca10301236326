/**
 * Engine parity: for every chart of a folder (option-folder.ts), the browser's SVG (`renderer: svg`)
 * and ECharts' server-side SVG (`renderer: ssr`), both with ECharts' counters renumbered, compared
 * element by element (svg-diff.ts). DESIGN.md says they never fully agree (text is measured
 * differently in Node); this report says where and how much, chart by chart.
 */
import { isFarmError } from '../errors/farm-error.js';
import type { ChartRenderer } from '../renderer/chart-renderer.js';
import { parseRenderRequest, type RenderRequest } from '../renderer/render-request.js';
import { readOptionFolder, renderFieldsOf, type OptionFile } from './option-folder.js';
import { compareSvg, drawsNothing, firstDifferingCharacter, type SvgDifference } from './svg-diff.js';

/** One chart's line of the report. */
export interface ParityEntry {
  name: string;
  option: string;
  /** `agree`: the same SVG; `differ`: see the figures; `skipped`/`failed`: see `message`. */
  result: 'agree' | 'differ' | 'skipped' | 'failed';
  message?: string;
  /** Elements of the browser's and the server-side SVG. */
  elements?: { browser: number; ssr: number };
  differingElements?: number;
  firstDifference?: SvgDifference;
  /** Attribute name → element pairs in which it differs (or only one side has it). */
  attributeDifferences?: Record<string, number>;
  /** Tags whose count differs. */
  tagCounts?: Record<string, { browser: number; ssr: number }>;
}

/** The whole report, as written with `--json`. */
export interface ParityReport {
  dir: string;
  fingerprint: string;
  counts: Record<ParityEntry['result'], number>;
  entries: ParityEntry[];
}

const SSR_REFUSES_SCRIPTS = 'JavaScript option: the server-side engine never runs scripts';

function renderRequests(chart: OptionFile): { browser: RenderRequest; ssr: RenderRequest } {
  const fields = { ...renderFieldsOf(chart), type: 'svg' as const };
  // Both go through the same validation as any request; ssr refuses what it cannot run.
  return {
    browser: parseRenderRequest({ ...fields, renderer: 'svg' }, { allowFunctions: false }),
    ssr: parseRenderRequest({ ...fields, renderer: 'ssr' }, { allowFunctions: false }),
  };
}

function failure(error: unknown): string {
  return isFarmError(error) ? `${error.reason}: ${error.message}` : (error as Error).message;
}

async function checkChart(renderer: Pick<ChartRenderer, 'render'>, chart: OptionFile): Promise<ParityEntry> {
  const entry: ParityEntry = { name: chart.name, option: chart.path, result: 'failed' };
  if (typeof chart.option === 'string') return { ...entry, result: 'skipped', message: SSR_REFUSES_SCRIPTS };
  let svgs: { browser: string; ssr: string };
  try {
    const requests = renderRequests(chart);
    const browser = await renderer.render(requests.browser);
    const ssr = await renderer.render(requests.ssr);
    svgs = { browser: browser.bytes.toString('utf8'), ssr: ssr.bytes.toString('utf8') };
  } catch (error) {
    return { ...entry, message: failure(error) };
  }
  if (svgs.browser === svgs.ssr) return { ...entry, result: 'agree' };
  let comparison: ReturnType<typeof compareSvg>;
  try {
    comparison = compareSvg(svgs.browser, svgs.ssr, { ignoreAttribute: drawsNothing });
  } catch (error) {
    // Elements cannot be paired when either side is no XML: say where the texts part instead.
    const at = firstDifferingCharacter(svgs.browser, svgs.ssr);
    const where = at ? `; the texts part at line ${at.line}, column ${at.column}` : '';
    return { ...entry, result: 'differ', message: `elements not compared (${(error as Error).message})${where}` };
  }
  const tagCounts = Object.fromEntries(
    Object.entries(comparison.tagCounts).map(([tag, counts]) => [tag, { browser: counts.expected, ssr: counts.actual }]),
  );
  // The same elements with the same drawing attributes draw the same: spacing, hit testing
  // (pointer-events) and ECharts' metadata (ecmeta_*) are no difference of the picture.
  if (comparison.equal) return { ...entry, result: 'agree', message: 'same drawing; the SVGs differ only in serialisation or in attributes that draw nothing' };
  return {
    ...entry,
    result: 'differ',
    elements: { browser: comparison.elements.expected, ssr: comparison.elements.actual },
    differingElements: comparison.differingElements,
    ...(comparison.firstDifference ? { firstDifference: comparison.firstDifference } : {}),
    attributeDifferences: comparison.attributeDifferences,
    tagCounts,
  };
}

/** Renders every chart of `dir` with both engines and compares them; one chart's failure is its line, not the run's end. */
export async function checkParity(
  renderer: Pick<ChartRenderer, 'render' | 'fingerprint'>,
  dir: string,
  options: { onEntry?: (entry: ParityEntry) => void } = {},
): Promise<ParityReport> {
  // Scripts are listed, not run: the server-side engine refuses them whatever ALLOW_FUNCTIONS says.
  const folder = await readOptionFolder(dir, { allowFunctions: true });
  const entries: ParityEntry[] = [];
  const done = (entry: ParityEntry): void => {
    entries.push(entry);
    options.onEntry?.(entry);
  };
  for (const file of folder.unreadable) done({ name: file.name, option: file.path, result: 'failed', message: file.error });
  for (const chart of folder.charts) done(await checkChart(renderer, chart));
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const counts = { agree: 0, differ: 0, skipped: 0, failed: 0 };
  for (const entry of entries) counts[entry.result] += 1;
  return { dir, fingerprint: renderer.fingerprint.hash, counts, entries };
}
