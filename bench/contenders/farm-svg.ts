/** The farm's SVG: ECharts' SVG renderer in the warm page (`type: "svg"`), through `ChartRenderer.render`. */
import type { PoolShape } from '../../measure/pool-shape-target.js';
import type { RenderTarget, TargetRender, WorkloadChart } from '../../measure/render-target.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { renderRequests } from './chart-request.js';
import { startFarmRenderer } from './farm-renderer.js';

export class FarmSvgTarget implements RenderTarget {
  readonly id = 'farm-svg';
  readonly label = 'farm, browser SVG';
  private readonly requests = renderRequests();

  private constructor(private readonly renderer: ChartRenderer) {}

  static async start(executablePath: string, shape: PoolShape): Promise<FarmSvgTarget> {
    return new FarmSvgTarget(await startFarmRenderer(executablePath, shape));
  }

  async render(chart: WorkloadChart): Promise<TargetRender> {
    const result = await this.renderer.render(this.requests.of(chart, 'svg'));
    return { bytes: result.bytes, settledBy: result.settledBy };
  }

  processIds(): number[] {
    return this.renderer.browserPids();
  }

  close(): Promise<void> {
    return this.renderer.close();
  }
}
