/**
 * puppeteer-cluster, as a project using it would: one job per render, the cluster's page
 * (CONCURRENCY_PAGE: a new page per job in one browser; CONCURRENCY_BROWSER: a browser per worker and
 * a new browser context and page per job), the farm's template loaded into it, the chart drawn
 * exactly as the limit draws it. So the difference to the limit is the cluster's page handling alone.
 */
import puppeteer, { type Browser, type BrowserContext, type LaunchOptions } from 'puppeteer';
import { Cluster } from 'puppeteer-cluster';
import type { RenderTarget, TargetRender, WorkloadChart } from '../../measure/render-target.js';
import { buildPageAssets, type PageAssets } from '../../renderer/page-assets.js';
import { closeBrowser, launchOptions, pidOf } from './browser-launch.js';
import { drawOnTemplate, loadTemplate } from './template-page.js';

export type ClusterMode = 'page' | 'browser';

const CONCURRENCY: Record<ClusterMode, number> = { page: Cluster.CONCURRENCY_PAGE, browser: Cluster.CONCURRENCY_BROWSER };
/** A job past this fails (the cluster's own default is 30 s; a loaded host can be slower). */
const JOB_TIMEOUT_MS = 120_000;

/**
 * Pages opened with a plain `newPage()` beyond the first are hidden tabs that get no animation
 * frames, so ECharts never says `finished` (DESIGN.md). The cluster calls `newPage()` itself: its
 * browsers are handed over with `newPage` opening windows instead, in every browser context.
 */
function opensWindows<T extends Browser | BrowserContext>(owner: T): T {
  const newPage = owner.newPage.bind(owner);
  owner.newPage = (options) => newPage({ type: 'window', ...options });
  return owner;
}

/** What the cluster is given as `puppeteer`: the real launch, with windows and a record of the browsers. */
function windowedPuppeteer(launched: Set<Browser>) {
  return {
    async launch(options: LaunchOptions): Promise<Browser> {
      const browser = opensWindows(await puppeteer.launch(options));
      const createBrowserContext = browser.createBrowserContext.bind(browser);
      browser.createBrowserContext = async (contextOptions) => opensWindows(await createBrowserContext(contextOptions));
      launched.add(browser);
      browser.once('disconnected', () => launched.delete(browser));
      return browser;
    },
  };
}

export class PuppeteerClusterTarget implements RenderTarget {
  readonly id: string;
  readonly label: string;

  private constructor(
    mode: ClusterMode,
    private readonly cluster: Cluster<WorkloadChart, TargetRender>,
    private readonly browsers: Set<Browser>,
  ) {
    this.id = `cluster-${mode}`;
    this.label = `puppeteer-cluster CONCURRENCY_${mode.toUpperCase()}`;
  }

  static async start(options: { executablePath: string; mode: ClusterMode; maxConcurrency: number; finishedWaitMs: number }): Promise<PuppeteerClusterTarget> {
    const browsers = new Set<Browser>();
    const assets: PageAssets = buildPageAssets({ allowFunctions: false });
    const cluster = await Cluster.launch({
      concurrency: CONCURRENCY[options.mode],
      maxConcurrency: options.maxConcurrency,
      puppeteer: windowedPuppeteer(browsers),
      puppeteerOptions: launchOptions(options.executablePath),
      timeout: JOB_TIMEOUT_MS,
      retryLimit: 0,
    });
    await cluster.task(async ({ page, data: chart }) => {
      await loadTemplate(page, assets, chart);
      return drawOnTemplate(page, chart, options.finishedWaitMs);
    });
    return new PuppeteerClusterTarget(options.mode, cluster, browsers);
  }

  render(chart: WorkloadChart): Promise<TargetRender> {
    return this.cluster.execute(chart);
  }

  processIds(): number[] {
    return [...this.browsers].flatMap(pidOf);
  }

  async close(): Promise<void> {
    await this.cluster.close().catch(() => undefined);
    await Promise.all([...this.browsers].map(closeBrowser));
  }
}
