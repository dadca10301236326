/**
 * One warm chart page: a Chromium window that holds ECharts, themes and maps, and renders one chart
 * at a time through the page contract of pages/README.md.
 */
import type { MissingGlyph } from './missing-glyphs.js';
import type { Browser, CDPSession, HTTPRequest, Page } from 'puppeteer';
import { FarmError, processingError, systemError, validationError } from '../errors/farm-error.js';
import { PAGE_URL, pagePolicy, type PageAssets } from './page-assets.js';
import type { RenderRequest } from './render-request.js';
import { normalizeSvg } from './normalize-svg.js';
import { SVG_EXPORT_OPTIONS, svgMarkup, type SvgNode } from './svg-markup.js';

/** What the page's `farm.render` answers (pages/README.md). */
interface PageRenderResult {
  ok: boolean;
  error?: { kind: 'script' | 'option' | 'unknown-series' | 'unsettled'; message: string };
  settledBy?: 'finished' | 'cap';
  heapBytes?: number;
  /** Images the page loaded since it loaded (they sit in zrender's page-wide cache). */
  imagesLoaded?: number;
  /** zrender's virtual SVG tree of the chart, for SVG output. */
  svgTree?: SvgNode;
  /** A data URL, when the page exported its canvas as PNG. */
  png?: string;
  timings?: { setOptionMs: number; settleMs: number; exportMs?: number };
}

export interface PageRenderSettings {
  finishedWaitMs: number;
  singlePass: boolean;
  /** PNG from the chart's canvas instead of a screenshot (same pixels, one round trip less). */
  canvasExport: boolean;
}

export interface PageCapture {
  bytes: Buffer;
  settledBy: 'finished' | 'cap';
  steps: { viewportMs: number; setOptionMs: number; settleMs: number; captureMs: number };
}

export interface ChartPageOptions {
  assets: PageAssets;
  allowFunctions: boolean;
  openTimeoutMs: number;
  /** Called for every request the page tried that was refused. */
  onRefusedRequest?: (url: string) => void;
}

let nextPageId = 1;

export class ChartPage {
  readonly id = nextPageId++;
  renders = 0;
  heapBytes = 0;
  private brokenReason: string | undefined;
  private readonly broken: Promise<never>;
  private markBroken!: (reason: string) => void;
  private viewport = { width: 600, height: 400, deviceScaleFactor: 1 };
  /** zrender's image cache holds images: an SVG render would lay rich text out with their sizes. */
  private imageCacheWarm = false;

  private constructor(
    readonly page: Page,
    readonly browser: Browser,
    /** A session of its own, opened while the page is sound, to stop scripts that never end. */
    private readonly control: CDPSession,
    private readonly openTimeoutMs: number,
  ) {
    this.broken = new Promise<never>((_, reject) => {
      this.markBroken = (reason) => {
        if (this.brokenReason) return;
        this.brokenReason = reason;
        reject(systemError('BROWSER_CRASHED', `the chart page ${reason}`, { retryable: true }));
      };
    });
    this.broken.catch(() => undefined);
    page.on('error', () => this.markBroken('crashed'));
    page.on('close', () => this.markBroken('was closed'));
    browser.on('disconnected', () => this.markBroken("lost its browser"));
  }

  static async open(browser: Browser, options: ChartPageOptions): Promise<ChartPage> {
    const page = await browser.newPage({ type: 'window' });
    const chartPage = new ChartPage(page, browser, await page.createCDPSession(), options.openTimeoutMs);
    try {
      await page.setRequestInterception(true);
      const policy = pagePolicy(options.allowFunctions);
      page.on('request', (request) => serveOrRefuse(request, options, policy));
      await page.setViewport(chartPage.viewport);
      await chartPage.load();
      return chartPage;
    } catch (error) {
      await chartPage.close();
      throw systemError('BROWSER_CRASHED', `could not open a chart page: ${(error as Error).message}`, { cause: error });
    }
  }

  private async load(): Promise<void> {
    await this.page.goto(PAGE_URL, { waitUntil: 'load', timeout: this.openTimeoutMs });
    await this.page.waitForFunction('window.farm && window.farm.ready === true', { timeout: this.openTimeoutMs });
  }

  /** The device pixel ratio the page was loaded with: another ratio reloads it (see setViewport). */
  get pixelRatio(): number {
    return this.viewport.deviceScaleFactor;
  }

  /** A page is usable while its window and browser are alive and nothing went wrong in it. */
  get healthy(): boolean {
    return this.brokenReason === undefined && !this.page.isClosed() && this.browser.connected;
  }

  /** Answers false when the page no longer responds; cheap enough for every borrow. */
  async respondsWithin(timeoutMs: number): Promise<boolean> {
    if (!this.healthy) return false;
    try {
      const ready = await withTimeout(this.page.evaluate('window.farm && window.farm.ready === true'), timeoutMs);
      return ready === true;
    } catch {
      return false;
    }
  }

  /** Renders and captures one chart. Rejects with a FarmError; a crash rejects as BROWSER_CRASHED. */
  async render(request: RenderRequest, settings: PageRenderSettings): Promise<PageCapture> {
    return Promise.race([this.broken, this.renderUnguarded(request, settings)]);
  }

  private async renderUnguarded(request: RenderRequest, settings: PageRenderSettings): Promise<PageCapture> {
    const viewportStart = performance.now();
    await this.setViewport(request);
    const viewportMs = performance.now() - viewportStart;

    const isScript = typeof request.option === 'string';
    const result = (await this.page.evaluate((pageRequest) => (window as any).farm.render(pageRequest), {
      option: isScript ? null : request.option,
      script: isScript ? request.option : null,
      width: request.width,
      height: request.height,
      devicePixelRatio: request.devicePixelRatio,
      theme: request.theme ?? null,
      renderer: request.engine,
      background: request.background ?? null,
      svgBackground: request.type === 'svg' && request.background !== 'transparent' ? (request.background ?? null) : null,
      svgExport: SVG_EXPORT_OPTIONS,
      singlePass: settings.singlePass,
      finishedWaitMs: settings.finishedWaitMs,
      canvasPng: settings.canvasExport && usesCanvasExport(request),
      seed: request.seed ?? null,
      frozenTime: request.frozenTime ?? null,
    })) as PageRenderResult;
    this.renders += 1;
    if (result.error?.kind === 'unknown-series') {
      throw validationError('INVALID_OPTION', `the option asks for an ${result.error.message}; ECharts would leave it out of the image`, {
        field: 'option.series',
      });
    }
    if (result.error?.kind === 'unsettled') {
      throw new FarmError({
        reason: 'RENDER_UNSETTLED',
        message: `the chart was still drawing after ${settings.finishedWaitMs} ms (RENDER_FINISHED_WAIT_MS): ${result.error.message}`,
        details: { pending: result.error.message.replace(/^still waiting for /, '') },
      });
    }
    if (!result.ok) {
      const what = result.error?.kind === 'script' ? 'the option script failed' : 'ECharts could not draw the option';
      throw processingError('RENDER_FAILED', `${what}: ${result.error?.message ?? 'unknown error'}`);
    }
    this.heapBytes = result.heapBytes ?? 0;
    this.imageCacheWarm = (result.imagesLoaded ?? 0) > 0;

    const captureStart = performance.now();
    const bytes = await this.capture(request, result);
    const exportMs = result.timings?.exportMs ?? 0;
    return {
      bytes,
      settledBy: result.settledBy ?? 'finished',
      steps: {
        viewportMs,
        setOptionMs: result.timings?.setOptionMs ?? 0,
        settleMs: result.timings?.settleMs ?? 0,
        captureMs: performance.now() - captureStart + exportMs,
      },
    };
  }

  /** Characters of the chart just drawn that no font of the page draws (pages/glyph-check.js). */
  async missingGlyphs(): Promise<MissingGlyph[]> {
    return (await this.page.evaluate(() => (window as any).farmGlyphs.missing())) as MissingGlyph[];
  }

  /**
   * Brings the page to the state a fresh page would have for this request. zrender fixes the pixel
   * ratio of some drawing decisions (path simplification) when the page loads, so another ratio
   * reloads the page. Its page-wide image cache lets the SVG renderer size rich-text images that a
   * fresh page's SVG renderer never sizes, so an SVG render after images were loaded reloads too.
   */
  private async setViewport(request: RenderRequest): Promise<void> {
    const wanted = { width: request.width, height: request.height, deviceScaleFactor: request.devicePixelRatio };
    const { width, height, deviceScaleFactor } = this.viewport;
    const sameViewport = width === wanted.width && height === wanted.height && deviceScaleFactor === wanted.deviceScaleFactor;
    const staleImages = request.engine === 'svg' && this.imageCacheWarm;
    if (sameViewport && !staleImages) return;
    if (!sameViewport) await this.page.setViewport(wanted);
    if (deviceScaleFactor !== wanted.deviceScaleFactor || staleImages) {
      await this.load();
      this.imageCacheWarm = false;
    }
    this.viewport = wanted;
  }

  private async capture(request: RenderRequest, result: PageRenderResult): Promise<Buffer> {
    const transparent = request.background === 'transparent';
    if (result.png) return Buffer.from(result.png.slice(result.png.indexOf(',') + 1), 'base64');
    switch (request.type) {
      case 'svg':
        if (!result.svgTree) throw processingError('RENDER_FAILED', 'the chart page answered no SVG');
        return Buffer.from(normalizeSvg(svgMarkup(result.svgTree)));
      case 'pdf':
        return Buffer.from(
          await this.page.pdf({
            width: `${request.width}px`,
            height: `${request.height}px`,
            printBackground: !transparent,
            omitBackground: transparent,
            pageRanges: '1',
            margin: { top: 0, right: 0, bottom: 0, left: 0 },
          }),
        );
      default:
        return Buffer.from(
          await this.page.screenshot({
            type: request.type,
            quality: request.type === 'png' ? undefined : request.quality,
            clip: { x: 0, y: 0, width: request.width, height: request.height },
            omitBackground: transparent,
            captureBeyondViewport: false,
          }),
        );
    }
  }

  /**
   * Closes the window. A script stuck in an endless loop (a formatter, a huge data set) is
   * terminated first, so the renderer process stops spinning and the close cannot hang.
   */
  async close(timeoutMs = 5_000): Promise<void> {
    this.markBroken('was retired');
    if (this.page.isClosed() || !this.browser.connected) return;
    await withTimeout(this.control.send('Runtime.terminateExecution'), timeoutMs).catch(() => undefined);
    await withTimeout(this.page.close(), timeoutMs).catch(() => undefined);
  }
}

/** The canvas export covers PNG from the canvas engine at whole pixel ratios. */
function usesCanvasExport(request: RenderRequest): boolean {
  return request.type === 'png' && request.engine === 'canvas' && Number.isInteger(request.devicePixelRatio);
}

function serveOrRefuse(request: HTTPRequest, options: ChartPageOptions, policy: string): void {
  if (request.isInterceptResolutionHandled()) return;
  const url = request.url();
  if (url.startsWith('data:') || url.startsWith('blob:')) {
    void request.continue().catch(() => undefined);
    return;
  }
  const asset = options.assets.lookup(url);
  if (asset) {
    void request
      .respond({ status: 200, contentType: asset.contentType, headers: { 'content-security-policy': policy }, body: asset.body })
      .catch(() => undefined);
    return;
  }
  options.onRefusedRequest?.(url);
  void request.abort('blockedbyclient').catch(() => undefined);
}

/** The deadline of `withTimeout` passed before the work ended. */
export class DeadlineError extends Error {}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
