/**
 * The limit: the fastest way known to render on this host, with nothing of the farm around it. A
 * bare loop over warm pages: one browser per lane (on 2 cores, two), in each browser one window per
 * pixel ratio of the workload, loaded once with the farm's own template; a render takes a free
 * browser and draws on its window at the chart's ratio (single pass, canvas export in the same call).
 * No pool, no borrow check, no queue, no HTTP.
 */
import type { Browser, Page } from 'puppeteer';
import type { RenderTarget, TargetRender, WorkloadChart } from '../../measure/render-target.js';
import { buildPageAssets, type PageAssets } from '../../renderer/page-assets.js';
import { closeBrowser, launchBrowser, pidOf } from './browser-launch.js';
import { Lanes } from './lanes.js';
import { drawOnTemplate, loadTemplate } from './template-page.js';

export interface LimitOptions {
  executablePath: string;
  /** Browsers, one render at a time each. */
  browsers: number;
  /** Pixel ratios the workload uses: one window each per browser, opened before the first render. */
  pixelRatios: readonly (1 | 2)[];
  /** The size the windows open at (a chart of another size resizes its window). */
  size: { width: number; height: number };
  finishedWaitMs: number;
}

interface LimitLane {
  browser: Browser;
  windows: Map<number, { page: Page; width: number; height: number }>;
}

export class LimitTarget implements RenderTarget {
  readonly id = 'limit';
  readonly label: string;
  private readonly lanes: Lanes<LimitLane>;

  private constructor(
    private readonly browsers: readonly LimitLane[],
    private readonly finishedWaitMs: number,
  ) {
    this.lanes = new Lanes(browsers);
    this.label = `limit (bare loop, ${browsers.length} browser${browsers.length === 1 ? '' : 's'} × 1 page)`;
  }

  static async start(options: LimitOptions): Promise<LimitTarget> {
    const assets = buildPageAssets({ allowFunctions: false });
    const launched: Browser[] = [];
    try {
      const lanes = await Promise.all(
        Array.from({ length: options.browsers }, async (): Promise<LimitLane> => {
          const browser = await launchBrowser(options.executablePath);
          launched.push(browser);
          const windows = new Map<number, { page: Page; width: number; height: number }>();
          for (const pixelRatio of options.pixelRatios) {
            windows.set(pixelRatio, await openWindow(browser, assets, { ...options.size, pixelRatio }));
          }
          return { browser, windows };
        }),
      );
      return new LimitTarget(lanes, options.finishedWaitMs);
    } catch (error) {
      await Promise.all(launched.map(closeBrowser));
      throw error;
    }
  }

  render(chart: WorkloadChart): Promise<TargetRender> {
    return this.lanes.use(async (lane) => {
      const window = lane.windows.get(chart.pixelRatio);
      if (!window) throw new Error(`the limit has no window at pixel ratio ${chart.pixelRatio}`);
      if (window.width !== chart.width || window.height !== chart.height) {
        await window.page.setViewport({ width: chart.width, height: chart.height, deviceScaleFactor: chart.pixelRatio });
        Object.assign(window, { width: chart.width, height: chart.height });
      }
      return drawOnTemplate(window.page, chart, this.finishedWaitMs);
    });
  }

  processIds(): number[] {
    return this.browsers.flatMap((lane) => pidOf(lane.browser));
  }

  async close(): Promise<void> {
    await Promise.all(this.browsers.map((lane) => closeBrowser(lane.browser)));
  }
}

async function openWindow(browser: Browser, assets: PageAssets, at: { width: number; height: number; pixelRatio: 1 | 2 }) {
  const page = await browser.newPage({ type: 'window' });
  await loadTemplate(page, assets, at);
  return { page, width: at.width, height: at.height };
}
