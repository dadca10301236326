// The progress line lives in measure/, shared with `echarts-farm tune`.
export { formatDuration, ProgressLine } from '../measure/progress-line.js';
