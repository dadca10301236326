/**
 * The chart the queue benchmark submits: small on purpose (a 251-byte body), so the accept rate
 * measures the API and the queue, not the parsing of a big option.
 */

export interface BenchChart {
  name: string;
  /** One line for the report. */
  about: string;
  option: Record<string, unknown>;
}

export const CHART_SIZE = { width: 800, height: 600 } as const;

export const QUEUE_CHART: BenchChart = {
  name: 'line',
  about: 'one line series, 7 points, title',
  option: {
    title: { text: 'Weekly visits' },
    xAxis: { type: 'category', data: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] },
    yAxis: { type: 'value' },
    series: [{ type: 'line', data: [150, 230, 224, 218, 135, 147, 260] }],
  },
};
