/**
 * What the measuring engine drives: anything that turns a chart into a PNG. The bench suite's
 * contenders and `echarts-farm tune`'s pool shapes are both render targets, so one engine measures both.
 */

/** One chart of a workload, at its size and pixel ratio. */
export interface WorkloadChart {
  /** Unique in a workload, e.g. `scatter-20k@2`. */
  name: string;
  /** One line for reports. */
  about: string;
  option: Record<string, unknown>;
  width: number;
  height: number;
  pixelRatio: 1 | 2;
}

export interface TargetRender {
  /** PNG bytes (SVG text for an SVG-only target); compared by decoded pixels, never by bytes. */
  bytes: Buffer;
  /** `cap` when ECharts never said `finished` and the capture went ahead anyway. */
  settledBy?: 'finished' | 'cap';
}

export interface RenderTarget {
  /** Stable id for results and `--compare`, e.g. `farm-http` or `pool-2x1`. */
  readonly id: string;
  /** For tables. */
  readonly label: string;
  /** Renders one chart; the engine calls it up to `concurrency` times at once. */
  render(chart: WorkloadChart): Promise<TargetRender>;
  /** Root process ids whose trees (with descendants) count as this target's memory besides the Node process. */
  processIds(): number[];
  close(): Promise<void>;
}
