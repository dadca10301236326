/**
 * A workload chart as the farm's request and as the HTTP body a client sends. Parsed once per chart
 * and output type: validating a 20,000-point option is the server's work, not the render's.
 */
import type { WorkloadChart } from '../../measure/render-target.js';
import { parseRenderRequest, type ImageType, type RenderRequest } from '../../renderer/render-request.js';

export type ChartOutput = 'png' | 'svg' | 'ssr';

/** The fields of `POST /api/charts/generate` (and of `parseRenderRequest`) for `chart`. */
export function requestFields(chart: WorkloadChart, output: ChartOutput = 'png') {
  const type: ImageType = output === 'png' ? 'png' : 'svg';
  return {
    type,
    width: chart.width,
    height: chart.height,
    devicePixelRatio: chart.pixelRatio,
    option: chart.option,
    ...(output === 'ssr' ? { renderer: 'ssr' as const } : {}),
  };
}

/** Remembers one value per chart and output, built on first use. */
export class PerChart<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly build: (chart: WorkloadChart, output: ChartOutput) => T) {}

  of(chart: WorkloadChart, output: ChartOutput = 'png'): T {
    const key = `${chart.name}/${output}`;
    let value = this.values.get(key);
    if (value === undefined) {
      value = this.build(chart, output);
      this.values.set(key, value);
    }
    return value;
  }
}

export function renderRequests(): PerChart<RenderRequest> {
  return new PerChart((chart, output) => parseRenderRequest(requestFields(chart, output), { allowFunctions: false }));
}

export function requestBodies(): PerChart<string> {
  return new PerChart((chart, output) => JSON.stringify(requestFields(chart, output)));
}
