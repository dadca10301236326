/**
 * The farm's renderer pool in one shape (browsers × pages per browser) as a render target: what
 * `echarts-farm tune` compares, and what the bench suite measures the farm in process with.
 */
import { rendererOptions } from '../farm/renderer-options.js';
import type { Config } from '../config/settings.js';
import { ChartRenderer, type PoolStats } from '../renderer/chart-renderer.js';
import { parseRenderRequest, type RenderRequest } from '../renderer/render-request.js';
import { silentLogger } from '../renderer/render-logger.js';
import type { RenderTarget, TargetRender, WorkloadChart } from './render-target.js';

/** POOL_BROWSERS × POOL_PAGES_PER_BROWSER, and POOL_RENDERS_PER_BROWSER when it is fewer than the pages. */
export interface PoolShape {
  browsers: number;
  pagesPerBrowser: number;
  rendersPerBrowser?: number;
}

/** Renders at once per browser when fewer than its pages, else undefined. */
export function rendersCap(shape: PoolShape): number | undefined {
  return shape.rendersPerBrowser !== undefined && shape.rendersPerBrowser < shape.pagesPerBrowser ? shape.rendersPerBrowser : undefined;
}

/** `2×1`, or `2×2/1` for two pages per browser of which one renders at a time. */
export function describeShape(shape: PoolShape): string {
  const cap = rendersCap(shape);
  return `${shape.browsers}×${shape.pagesPerBrowser}${cap === undefined ? '' : `/${cap}`}`;
}

/** `config` with the pool settings of `shape`. */
export function shapedConfig(config: Config, shape: PoolShape): Config {
  return { ...config, poolBrowsers: shape.browsers, poolPagesPerBrowser: shape.pagesPerBrowser, poolRendersPerBrowser: rendersCap(shape) ?? shape.pagesPerBrowser };
}

export function pagesOf(shape: PoolShape): number {
  return shape.browsers * shape.pagesPerBrowser;
}

/** How many renders the shape runs at once: every page, or the browsers times their cap. */
export function rendersAtOnceOf(shape: PoolShape): number {
  return shape.browsers * (rendersCap(shape) ?? shape.pagesPerBrowser);
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
    const cap = rendersCap(shape);
    this.id = `pool-${shape.browsers}x${shape.pagesPerBrowser}${cap === undefined ? '' : `r${cap}`}`;
    this.label = `pool ${describeShape(shape)} (${shape.browsers} browser${shape.browsers === 1 ? '' : 's'} × ${shape.pagesPerBrowser} page${shape.pagesPerBrowser === 1 ? '' : 's'})`;
  }

  /** A renderer with `config`'s settings but the pool sizes of `shape`; every page is open when it answers. */
  static async start(config: Config, shape: PoolShape): Promise<PoolShapeTarget> {
    return new PoolShapeTarget(shape, await ChartRenderer.start(rendererOptions(shapedConfig(config, shape), silentLogger)));
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
