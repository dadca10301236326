/**
 * ECharts' server-side SVG in Node (renderer/ssr-engine.ts: one worker thread, one chart at a time),
 * as the farm's `renderer: "ssr"` runs it, with no browser. Its SVG never equals the browser's
 * (DESIGN.md): it is compared with the farm's browser SVG for speed only.
 */
import type { RenderTarget, TargetRender, WorkloadChart } from '../../measure/render-target.js';
import { normalizeSvg } from '../../renderer/normalize-svg.js';
import { buildPageAssets } from '../../renderer/page-assets.js';
import { SsrEngine } from '../../renderer/ssr-engine.js';
import { renderRequests } from './chart-request.js';

export class SsrSvgTarget implements RenderTarget {
  readonly id = 'ssr-svg';
  readonly label = 'server-side SVG in Node (ssr engine)';
  private readonly requests = renderRequests();
  private readonly engine: SsrEngine;

  constructor(renderTimeoutMs: number) {
    this.engine = new SsrEngine({ assets: buildPageAssets({ allowFunctions: false }), timeoutMs: renderTimeoutMs });
  }

  async render(chart: WorkloadChart): Promise<TargetRender> {
    const output = await this.engine.render(this.requests.of(chart, 'ssr'));
    // The same renumbering of ECharts' counters as the farm applies to both SVGs.
    return { bytes: Buffer.from(normalizeSvg(output.svg)), settledBy: 'finished' };
  }

  /** The worker thread lives in this process: the Node process's own memory is counted anyway. */
  processIds(): number[] {
    return [];
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
