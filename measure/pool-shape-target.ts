/**
 * The farm's renderer pool in one shape (browsers × pages per browser) as a render target: what
 * `echarts-farm tune` compares, and what the bench suite measures the farm in process with.
 */
import { rendererOptions } from '../cli/renderer-options.js';
import type { Config } from '../config/settings.js';
import { ChartRenderer, type PoolStats } from '../renderer/chart-renderer.js';
import { parseRenderRequest, type RenderRequest } from '../renderer/render-request.js';
import { silentLogger } from '../renderer/render-logger.js';
import type { RenderTarget, TargetRender, WorkloadChart } from './render-target.js';

/** POOL_BROWSERS × POOL_PAGES_PER_BROWSER. */
export interface PoolShape {
  browsers: number;
  pagesPerBrowser: number;
}

/** `2×1`. */
export function describeShape(shape: PoolShape): string {
  return `${shape.browsers}×${shape.pagesPerBrowser}`;
}

export function pagesOf(shape: PoolShape): number {
  return shape.browsers * shape.pagesPerBrowser;
}

export class PoolShapeTarget implements RenderTarget {
  readonly id: string;
  readonly label: string;
  /** Validation is the server's work, not the render's: each chart is parsed once, outside the timing. */
  private readonly requests = new Map<string, RenderRequest>();

  private constructor(
    readonly shape: PoolShape,
    private readonly renderer: ChartRenderer,
  ) {
    this.id = `pool-${shape.browsers}x${shape.pagesPerBrowser}`;
    this.label = `pool ${describeShape(shape)} (${shape.browsers} browser${shape.browsers === 1 ? '' : 's'} × ${shape.pagesPerBrowser} page${shape.pagesPerBrowser === 1 ? '' : 's'})`;
  }

  /** A renderer with `config`'s settings but the pool sizes of `shape`; every page is open when it answers. */
  static async start(config: Config, shape: PoolShape): Promise<PoolShapeTarget> {
    const shaped = { ...config, poolBrowsers: shape.browsers, poolPagesPerBrowser: shape.pagesPerBrowser };
    return new PoolShapeTarget(shape, await ChartRenderer.start(rendererOptions(shaped, silentLogger)));
  }

  async render(chart: WorkloadChart): Promise<TargetRender> {
    let request = this.requests.get(chart.name);
    if (!request) {
      const fields = { type: 'png', width: chart.width, height: chart.height, devicePixelRatio: chart.pixelRatio, option: chart.option };
      request = parseRenderRequest(fields, { allowFunctions: false });
      this.requests.set(chart.name, request);
    }
    const result = await this.renderer.render(request);
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
