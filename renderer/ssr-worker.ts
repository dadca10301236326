/**
 * The worker thread of the server-side SVG engine (ssr-engine.ts): ECharts in Node, no browser. It
 * runs the page's own determinism and option rules and the page's theme and map scripts, so a chart
 * gets the same seed, preparation, themes and maps as in the chart page. Only JSON options arrive
 * here (render-request.ts refuses scripts for this engine).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { SVG_EXPORT_OPTIONS, svgMarkup, type SvgNode } from './svg-markup.js';

/** What the engine hands the worker when it starts it. */
export interface SsrWorkerData {
  /** Sources of pages/determinism.js and pages/option-rules.js. */
  determinismJs: string;
  optionRulesJs: string;
  /** The page's /assets/themes.js and /assets/maps.js. */
  themesJs: string;
  mapsJs: string;
}

/** One render, as posted to the worker. */
export interface SsrJob {
  id: number;
  option: Record<string, unknown>;
  width: number;
  height: number;
  theme: string | null;
  /** A color for the SVG's background rect, or null. */
  background: string | null;
  seed: number | null;
  frozenTime: string | null;
}

/** The worker's answer to one job. */
export type SsrReply =
  | { id: number; ok: true; svg: string; setOptionMs: number; exportMs: number }
  | { id: number; ok: false; kind: 'option' | 'unknown-series'; message: string };

interface EChartsInstance {
  setOption(option: unknown): void;
  getZr(): { setBackgroundColor(color: string): void; painter: { renderToVNode(options: typeof SVG_EXPORT_OPTIONS): SvgNode } };
  dispose(): void;
}
interface ECharts {
  init(dom: null, theme: string | null, options: Record<string, unknown>): EChartsInstance;
  registerMap(name: string, map: unknown): void;
}
interface PageGlobals {
  farmDeterminism: { reset(seed: number | null, frozenTime: string | null): void };
  farmOptionRules: {
    eachComponent(option: unknown, key: string, visit: (component: Record<string, unknown>) => void): void;
    prepare(option: unknown, settings: { singlePass: boolean }): void;
    unknownSeriesTypes(instance: EChartsInstance, option: unknown): string[];
  };
}

const data = workerData as SsrWorkerData;
const require = createRequire(import.meta.url);
// The very build the page loads (page-assets.ts): the production build, whose checks and warnings
// differ from the development build that `require('echarts')` gives.
const echartsDir = dirname(require.resolve('echarts/package.json'));
const echarts = require(join(echartsDir, 'dist', 'echarts.min.js')) as ECharts;

runInThisContext(data.determinismJs, { filename: 'pages/determinism.js' });
runInThisContext(data.optionRulesJs, { filename: 'pages/option-rules.js' });
const page = globalThis as unknown as PageGlobals;

// The theme bundle is a row of browser scripts that find ECharts as `this.echarts` or `echarts`;
// `exports`, `define` and `require` are hidden so their UMD headers take the browser path.
new Function('echarts', 'exports', 'define', 'require', data.themesJs).call({ echarts }, echarts, undefined, undefined, undefined);
const mapHolder: { farmMaps?: Record<string, unknown> } = {};
new Function('window', data.mapsJs)(mapHolder);
/** Maps Node cannot register (SVG maps need a DOMParser), with the reason; charts using them fail. */
const unavailableMaps = new Map<string, string>();
for (const [name, map] of Object.entries(mapHolder.farmMaps ?? {})) {
  try {
    echarts.registerMap(name, map);
  } catch (error) {
    unavailableMaps.set(name, error instanceof Error ? error.message : String(error));
  }
}

/** The first map the option uses that could not be registered here, with why. */
function unavailableMapOf(option: unknown): string | undefined {
  let found: string | undefined;
  for (const key of ['geo', 'series']) {
    page.farmOptionRules.eachComponent(option, key, (component) => {
      const map = component.map;
      if (found === undefined && typeof map === 'string' && unavailableMaps.has(map)) found = `map "${map}" cannot be drawn server-side (${unavailableMaps.get(map)})`;
    });
  }
  return found;
}

function render(job: SsrJob): SsrReply {
  const mapProblem = unavailableMapOf(job.option);
  if (mapProblem) return { id: job.id, ok: false, kind: 'option', message: mapProblem };
  page.farmDeterminism.reset(job.seed, job.frozenTime);
  const started = performance.now();
  let chart: EChartsInstance | undefined;
  try {
    chart = echarts.init(null, job.theme, { renderer: 'svg', ssr: true, width: job.width, height: job.height });
    // No frames here: every series is drawn in one pass, as the page does with RENDER_SINGLE_PASS.
    page.farmOptionRules.prepare(job.option, { singlePass: true });
    chart.setOption(job.option);
    const unknown = page.farmOptionRules.unknownSeriesTypes(chart, job.option);
    if (unknown.length > 0) {
      return { id: job.id, ok: false, kind: 'unknown-series', message: `unknown series type ${unknown.map((t) => JSON.stringify(t)).join(', ')}` };
    }
    if (job.background) chart.getZr().setBackgroundColor(job.background);
    const optionSet = performance.now();
    // Escaped and sanitised: zrender's own string holds attribute values unescaped.
    const svg = svgMarkup(chart.getZr().painter.renderToVNode(SVG_EXPORT_OPTIONS));
    return { id: job.id, ok: true, svg, setOptionMs: optionSet - started, exportMs: performance.now() - optionSet };
  } catch (error) {
    return { id: job.id, ok: false, kind: 'option', message: error instanceof Error ? error.message : String(error) };
  } finally {
    chart?.dispose();
  }
}

parentPort!.on('message', (job: SsrJob) => {
  parentPort!.postMessage(render(job));
});
