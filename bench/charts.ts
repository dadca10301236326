/**
 * The charts of the warm-vs-cold benchmark: two light ones, a heavy one and one that needs CJK fonts.
 * They are written out here, not read from the corpus, so a run depends on nothing outside the repo.
 */

export interface BenchChart {
  name: string;
  /** One line for the report. */
  about: string;
  option: Record<string, unknown>;
}

export const CHART_SIZE = { width: 800, height: 600 } as const;

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** mulberry32: the same 20,000 points in every run, so runs can be compared. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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

export const BENCH_CHARTS: readonly BenchChart[] = [
  {
    name: 'line',
    about: 'one line series, 7 points, title',
    option: {
      title: { text: 'Weekly visits' },
      xAxis: { type: 'category', data: WEEKDAYS },
      yAxis: { type: 'value' },
      series: [{ type: 'line', data: [150, 230, 224, 218, 135, 147, 260] }],
    },
  },
  {
    name: 'bar',
    about: 'two bar series, 12 categories, legend',
    option: {
      title: { text: 'Monthly sales' },
      legend: { top: 30 },
      xAxis: { type: 'category', data: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] },
      yAxis: { type: 'value' },
      series: [
        { name: '2024', type: 'bar', data: [120, 200, 150, 80, 70, 110, 130, 170, 160, 190, 210, 230] },
        { name: '2025', type: 'bar', data: [140, 180, 170, 95, 88, 125, 150, 160, 175, 205, 220, 260] },
      ],
    },
  },
  {
    name: 'scatter-20k',
    about: 'one scatter series, 20,000 seeded points',
    option: {
      title: { text: '20,000 points' },
      xAxis: { type: 'value', min: 0, max: 100 },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: [{ type: 'scatter', symbolSize: 3, itemStyle: { opacity: 0.6 }, data: scatterPoints(20_000, 20240115) }],
    },
  },
  {
    name: 'cjk',
    about: 'stacked areas with Chinese title, legend, axis names and categories',
    option: {
      title: { text: '堆叠区域图', subtext: '各渠道每周访问量' },
      legend: { top: 50, data: ['邮件营销', '联盟广告', '视频广告', '直接访问', '搜索引擎'] },
      grid: { top: 100, left: 70, right: 60, bottom: 50 },
      xAxis: { type: 'category', name: '星期', boundaryGap: false, data: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'] },
      yAxis: { type: 'value', name: '访问量（次）' },
      series: [
        { name: '邮件营销', type: 'line', stack: '总量', areaStyle: {}, data: [120, 132, 101, 134, 90, 230, 210] },
        { name: '联盟广告', type: 'line', stack: '总量', areaStyle: {}, data: [220, 182, 191, 234, 290, 330, 310] },
        { name: '视频广告', type: 'line', stack: '总量', areaStyle: {}, data: [150, 232, 201, 154, 190, 330, 410] },
        { name: '直接访问', type: 'line', stack: '总量', areaStyle: {}, data: [320, 332, 301, 334, 390, 330, 320] },
        {
          name: '搜索引擎',
          type: 'line',
          stack: '总量',
          areaStyle: {},
          label: { show: true, position: 'top' },
          data: [820, 932, 901, 934, 1290, 1330, 1320],
        },
      ],
    },
  },
];
