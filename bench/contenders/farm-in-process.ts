/**
 * The farm in process: `ChartRenderer.render`, the renderer pool's API, with nothing in front of it.
 * PNG for the main comparison; SVG (ECharts' SVG renderer in the page) against the server-side engine.
 */
import type { RenderTarget, TargetRender, WorkloadChart } from '../../measure/render-target.js';
import type { ChartRenderer, PoolStats } from '../../renderer/chart-renderer.js';
import { renderRequests, type ChartOutput } from './chart-request.js';
import { describeShape, startFarmRenderer, type PoolShape } from './farm-renderer.js';

export class FarmInProcessTarget implements RenderTarget {
  readonly label: string;
  private readonly requests = renderRequests();

  private constructor(
    readonly id: string,
    private readonly renderer: ChartRenderer,
    shape: PoolShape,
    private readonly output: Exclude<ChartOutput, 'ssr'>,
  ) {
    this.label = `farm in process${output === 'svg' ? ', browser SVG' : ''} (pool ${describeShape(shape)})`;
  }

  /** `id` tells pool shapes and outputs apart (`farm-2x1`, `farm-svg`); the main contender is `farm`. */
  static async start(
    executablePath: string,
    shape: PoolShape,
    { id = 'farm', output = 'png' }: { id?: string; output?: Exclude<ChartOutput, 'ssr'> } = {},
  ): Promise<FarmInProcessTarget> {
    return new FarmInProcessTarget(id, await startFarmRenderer(executablePath, shape), shape, output);
  }

  async render(chart: WorkloadChart): Promise<TargetRender> {
    const result = await this.renderer.render(this.requests.of(chart, this.output));
    return { bytes: result.bytes, settledBy: result.settledBy };
  }

  stats(): PoolStats {
    return this.renderer.stats();
  }

  processIds(): number[] {
    return this.renderer.browserPids();
  }

  close(): Promise<void> {
    return this.renderer.close();
  }
}
