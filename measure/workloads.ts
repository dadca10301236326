/**
 * The fixed workloads the measuring engine drives: realistic charts at 800×600, each at pixel ratio 1
 * and 2. The data is drawn from seeded generators, so every run renders the same images and runs
 * can be compared. Written out here, not read from the corpus, so a run depends on nothing outside
 * the repository.
 */
import type { WorkloadChart } from './render-target.js';
import { seededRandom } from './seeded-random.js';

export const WORKLOAD_SIZE = { width: 800, height: 600 } as const;

/** A chart before it is given its size and pixel ratio. */
interface ChartDesign {
  name: string;
  about: string;
  option: Record<string, unknown>;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A random walk of `count` points starting at `start`. */
function randomWalk(count: number, start: number, random: () => number): number[] {
  let value = start;
  return Array.from({ length: count }, () => {
    value += (random() - 0.5) * 4;
    return +value.toFixed(2);
  });
}

function lineDesign(): ChartDesign {
  const random = seededRandom(11);
  const x = Array.from({ length: 1_000 }, (_, index) => index);
  return {
    name: 'line-2x1000',
    about: 'two line series of 1,000 points each, legend',
    option: {
      title: { text: 'Sensor readings' },
      legend: { top: 30 },
      xAxis: { type: 'category', data: x },
      yAxis: { type: 'value', scale: true },
      series: ['inlet', 'outlet'].map((name, index) => ({ name, type: 'line', showSymbol: false, data: randomWalk(1_000, 50 + index * 20, random) })),
    },
  };
}

function groupedBarDesign(): ChartDesign {
  const random = seededRandom(12);
  return {
    name: 'bar-grouped',
    about: 'three bar series over 12 months, legend',
    option: {
      title: { text: 'Monthly sales by region' },
      legend: { top: 30 },
      xAxis: { type: 'category', data: MONTHS },
      yAxis: { type: 'value' },
      series: ['North', 'South', 'West'].map((name) => ({ name, type: 'bar', data: MONTHS.map(() => Math.round(80 + random() * 200)) })),
    },
  };
}

function pieDesign(): ChartDesign {
  const browsers = ['Chrome', 'Safari', 'Edge', 'Firefox', 'Samsung Internet', 'Opera', 'UC Browser', 'Other'];
  const random = seededRandom(13);
  return {
    name: 'pie-labelled',
    about: 'one pie of 8 slices with outside labels and percentages, legend',
    option: {
      title: { text: 'Browser share', left: 'center' },
      legend: { orient: 'vertical', left: 10, top: 40 },
      series: [
        {
          type: 'pie',
          radius: '60%',
          center: ['55%', '55%'],
          label: { formatter: '{b}: {d}%' },
          data: browsers.map((name) => ({ name, value: Math.round(20 + random() * 300) })),
        },
      ],
    },
  };
}

function scatterPoints(count: number, seed: number): [number, number][] {
  const random = seededRandom(seed);
  // Two overlapping clouds, so the points overdraw as real data does.
  return Array.from({ length: count }, (_, index) => {
    const [cx, cy] = index % 2 === 0 ? [35, 40] : [65, 60];
    const radius = 18 * Math.sqrt(random());
    const angle = 2 * Math.PI * random();
    return [+(cx + radius * Math.cos(angle)).toFixed(3), +(cy + radius * Math.sin(angle)).toFixed(3)];
  });
}

function scatterDesign(): ChartDesign {
  return {
    name: 'scatter-20k',
    about: 'one scatter series of 20,000 seeded points',
    option: {
      title: { text: '20,000 points' },
      xAxis: { type: 'value', min: 0, max: 100 },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: [{ type: 'scatter', symbolSize: 3, itemStyle: { opacity: 0.6 }, data: scatterPoints(20_000, 20240115) }],
    },
  };
}

function heatmapDesign(): ChartDesign {
  const random = seededRandom(15);
  const axis = Array.from({ length: 50 }, (_, index) => String(index + 1));
  const cells = axis.flatMap((_, x) => axis.map((__, y) => [x, y, Math.round(random() * 100)]));
  return {
    name: 'heatmap-50x50',
    about: 'a 50×50 heatmap with a continuous visualMap',
    option: {
      title: { text: 'Load by hour and node' },
      grid: { top: 50, bottom: 90, left: 50, right: 30 },
      xAxis: { type: 'category', data: axis, splitArea: { show: true } },
      yAxis: { type: 'category', data: axis, splitArea: { show: true } },
      visualMap: { min: 0, max: 100, calculable: true, orient: 'horizontal', left: 'center', bottom: 10 },
      series: [{ type: 'heatmap', data: cells }],
    },
  };
}

function cjkBarDesign(): ChartDesign {
  const regions = ['华北', '华东', '华南', '华中', '西南', '西北', '东北'];
  const random = seededRandom(16);
  return {
    name: 'bar-cjk',
    about: 'bars with a Chinese title, legend, axis names and categories (Noto CJK)',
    option: {
      title: { text: '各地区季度销售额', subtext: '单位：万元' },
      legend: { top: 50, data: ['第一季度', '第二季度'] },
      grid: { top: 100 },
      xAxis: { type: 'category', name: '地区', data: regions },
      yAxis: { type: 'value', name: '销售额' },
      series: ['第一季度', '第二季度'].map((name) => ({
        name,
        type: 'bar',
        label: { show: true, position: 'top' },
        data: regions.map(() => Math.round(100 + random() * 400)),
      })),
    },
  };
}

/** Every design at ratio 1, then every design at ratio 2: a page keeps its ratio for runs of charts. */
function atBothRatios(designs: readonly ChartDesign[]): WorkloadChart[] {
  return ([1, 2] as const).flatMap((pixelRatio) =>
    designs.map((design) => ({ ...design, name: `${design.name}@${pixelRatio}`, ...WORKLOAD_SIZE, pixelRatio })),
  );
}

export type WorkloadName = 'full' | 'light';

/** The designs are built once: the scatter's 20,000 points take a moment to draw. */
const LIGHT_DESIGNS = [lineDesign(), groupedBarDesign(), pieDesign()];
const FULL_DESIGNS = [...LIGHT_DESIGNS, scatterDesign(), heatmapDesign(), cjkBarDesign()];

/**
 * `full`: line, grouped bar, pie, 20k scatter, heatmap, CJK bar, each at ratio 1 and 2 (12 charts).
 * `light`: line, grouped bar and pie at ratio 1 and 2 (6 charts), for quick runs and tests.
 */
export const WORKLOADS: Readonly<Record<WorkloadName, readonly WorkloadChart[]>> = {
  full: atBothRatios(FULL_DESIGNS),
  light: atBothRatios(LIGHT_DESIGNS),
};

export function isWorkloadName(value: string): value is WorkloadName {
  return Object.hasOwn(WORKLOADS, value);
}
