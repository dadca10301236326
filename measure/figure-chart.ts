/**
 * A chart of measured figures, rendered by the farm itself: series (bars or lines) over a
 * category x axis, against a left y axis and an optional right one (throughput and p95 latency, say).
 * `tune` and the bench suite draw their reports' charts with it.
 */
import { rendererOptions } from '../farm/renderer-options.js';
import { configWith } from '../config/load-config.js';
import type { Config } from '../config/settings.js';
import { ChartRenderer } from '../renderer/chart-renderer.js';
import { parseRenderRequest } from '../renderer/render-request.js';
import { silentLogger } from '../renderer/render-logger.js';

export interface FigureSeries {
  name: string;
  kind: 'bar' | 'line';
  /** The y axis it is read against. */
  axis: 'left' | 'right';
  /** One value per category; null leaves a gap. */
  values: readonly (number | null)[];
}

export interface FigureSpec {
  title: string;
  subtitle?: string;
  /** Name of the x axis, e.g. `pool (browsers × pages)`. */
  xName: string;
  categories: readonly string[];
  leftAxisName: string;
  /** Without it, every series must use the left axis. */
  rightAxisName?: string;
  series: readonly FigureSeries[];
  /** @defaultValue 960 */
  width?: number;
  /** @defaultValue 540 */
  height?: number;
}

const BAR_COLORS = ['#5470c6', '#73c0de', '#3ba272', '#9a60b4'];
const LINE_COLORS = ['#ee6666', '#fc8452', '#c23531', '#ea7ccc'];
/** For figures of one kind of series only: as many clearly different colours as a legend can hold. */
const DISTINCT_COLORS = ['#5470c6', '#ee6666', '#3ba272', '#fac858', '#9a60b4', '#fc8452', '#73c0de', '#ea7ccc', '#91cc75', '#6e7074'];
/** Lines also differ by marker, so two of similar colour still tell apart. */
const LINE_SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'emptyCircle', 'emptyRect', 'emptyTriangle', 'emptyDiamond', 'pin', 'arrow'];
/** More labelled series than this and the value labels cover each other. */
const MOST_LABELLED_SERIES = 4;

/** The ECharts option of `spec`: no animation, white background, legend under the title. */
export function figureOption(spec: FigureSpec): Record<string, unknown> {
  const wrongAxis = spec.series.find((series) => series.axis === 'right' && spec.rightAxisName === undefined);
  if (wrongAxis) throw new Error(`series "${wrongAxis.name}" uses the right axis, but the figure has none (rightAxisName)`);
  const mixed = new Set(spec.series.map((series) => series.kind)).size > 1;
  const valueAxis = (name: string, position: 'left' | 'right') => ({
    type: 'value',
    name,
    position,
    nameTextStyle: { align: position },
    // Only the left axis draws grid lines: two sets of lines that do not meet only confuse.
    splitLine: { show: position === 'left' },
  });
  return {
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: spec.title, subtext: spec.subtitle, left: 'center' },
    legend: { top: spec.subtitle === undefined ? 34 : 64 },
    grid: { top: spec.subtitle === undefined ? 90 : 120, left: 70, right: 70, bottom: 60 },
    xAxis: { type: 'category', name: spec.xName, nameLocation: 'middle', nameGap: 32, data: [...spec.categories] },
    yAxis: [valueAxis(spec.leftAxisName, 'left'), ...(spec.rightAxisName === undefined ? [] : [valueAxis(spec.rightAxisName, 'right')])],
    series: spec.series.map((series, index) => {
      const rank = spec.series.slice(0, index).filter((earlier) => earlier.kind === series.kind).length;
      return {
        name: series.name,
        type: series.kind,
        yAxisIndex: series.axis === 'left' ? 0 : 1,
        data: [...series.values],
        color: colorOf(series.kind, mixed ? rank : index, mixed),
        label: { show: spec.series.length <= MOST_LABELLED_SERIES, position: 'top', fontSize: 10 },
        ...(series.kind === 'line' ? { symbol: LINE_SYMBOLS[rank % LINE_SYMBOLS.length], symbolSize: 8, lineStyle: { width: 2 } } : {}),
      };
    }),
  };
}

/** Bars in cool colours and lines in warm ones when both are drawn (which axis shows at a glance), else all colours. */
function colorOf(kind: FigureSeries['kind'], rank: number, mixed: boolean): string {
  const palette = !mixed ? DISTINCT_COLORS : kind === 'bar' ? BAR_COLORS : LINE_COLORS;
  return palette[rank % palette.length]!;
}

/**
 * Renders `spec` to PNG with a renderer of one browser and one page, started for it and closed
 * after. `config` supplies the other renderer settings (Chromium path, timeouts).
 */
export async function renderFigurePng(spec: FigureSpec, config: Config = configWith()): Promise<Buffer> {
  const request = parseRenderRequest(
    { type: 'png', width: spec.width ?? 960, height: spec.height ?? 540, option: figureOption(spec) },
    { allowFunctions: false },
  );
  const renderer = await ChartRenderer.start({ ...rendererOptions(config, silentLogger), browsers: 1, pagesPerBrowser: 1 });
  try {
    return (await renderer.render(request)).bytes;
  } finally {
    await renderer.close();
  }
}
