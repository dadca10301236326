/**
 * The farm's own chart page (pages/chart.html) driven bare: no pool, no borrow checks, no recycling.
 * The limit and the puppeteer-cluster contenders load it into pages of their own, so every
 * contender draws with the same page script and differs only in how it manages pages.
 */
import type { Page } from 'puppeteer';
import type { TargetRender, WorkloadChart } from '../../measure/render-target.js';
import { PAGE_URL, type PageAssets } from '../../renderer/page-assets.js';

/** How long a page may take to load the template. */
const LOAD_TIMEOUT_MS = 30_000;

/** What `farm.render` answers (pages/README.md); only the fields read here. */
interface TemplateResult {
  ok: boolean;
  error?: { kind: string; message: string };
  settledBy?: 'finished' | 'cap';
  png?: string;
}

/** Answers the page's requests from the farm's assets in memory and refuses every other one. */
async function serveAssets(page: Page, assets: PageAssets): Promise<void> {
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    const asset = assets.lookup(request.url());
    const answered = asset
      ? request.respond({ status: 200, contentType: asset.contentType, body: asset.body })
      : request.abort('blockedbyclient');
    void answered.catch(() => undefined);
  });
}

/** Loads the template into `page` at the chart's size and pixel ratio, and waits until it is ready. */
export async function loadTemplate(page: Page, assets: PageAssets, chart: Pick<WorkloadChart, 'width' | 'height' | 'pixelRatio'>): Promise<void> {
  await serveAssets(page, assets);
  await page.setViewport({ width: chart.width, height: chart.height, deviceScaleFactor: chart.pixelRatio });
  await page.goto(PAGE_URL, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
  await page.waitForFunction('window.farm && window.farm.ready === true', { timeout: LOAD_TIMEOUT_MS });
}

/**
 * Draws `chart` in a page holding the template: single pass (progressive off for series without
 * `large: true`) and PNG from the chart's own canvas inside the same call, one round trip.
 */
export async function drawOnTemplate(page: Page, chart: WorkloadChart, finishedWaitMs: number): Promise<TargetRender> {
  const result = (await page.evaluate((request) => (window as any).farm.render(request), {
    option: chart.option,
    script: null,
    width: chart.width,
    height: chart.height,
    devicePixelRatio: chart.pixelRatio,
    theme: null,
    renderer: 'canvas',
    background: null,
    svgBackground: null,
    singlePass: true,
    finishedWaitMs,
    canvasPng: true,
    seed: null,
    frozenTime: null,
  })) as TemplateResult;
  if (!result.ok || !result.png) throw new Error(`the template page could not draw ${chart.name}: ${result.error?.message ?? 'no image'}`);
  return { bytes: Buffer.from(result.png.slice(result.png.indexOf(',') + 1), 'base64'), settledBy: result.settledBy ?? 'finished' };
}
