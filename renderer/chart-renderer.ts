/**
 * The renderer's front door: a pool of warm chart pages over a fleet of browsers. `render` borrows a
 * page, renders within the time limit, and returns the page, or destroys it when it timed out,
 * crashed, rendered its quota or grew too large.
 */
import { FarmError, isFarmError, processingError, systemError, validationError } from '../errors/farm-error.js';
import { BrowserFleet, type BrowserSlot, type FleetStats } from './browser-fleet.js';
import { ChartPage, DeadlineError, withTimeout } from './chart-page.js';
import { fontsHash, makeFingerprint, type RenderFingerprint } from './fingerprint.js';
import { CHROMIUM_FLAGS, SEALED_NETWORK_FLAGS } from './launch-flags.js';
import { locateChromium } from './locate-chromium.js';
import { missingGlyphsError, type MissingGlyph } from './missing-glyphs.js';
import { normalizeSvg } from './normalize-svg.js';
import { buildPageAssets, type PageAssets } from './page-assets.js';
import { PagePool, PageWaitTimeout } from './page-pool.js';
import { CONTENT_TYPES, type RenderRequest } from './render-request.js';
import { silentLogger, type RenderLogger } from './render-logger.js';
import { SsrEngine } from './ssr-engine.js';

export interface RendererOptions {
  chromiumPath?: string;
  browsers: number;
  pagesPerBrowser: number;
  /** Renders at once in one browser; its other pages stay warm for other pixel ratios. Default: every page. */
  rendersPerBrowser?: number;
  maxRendersPerPage: number;
  maxPageHeapMb: number;
  acquireTimeoutMs: number;
  renderTimeoutMs: number;
  finishedWaitMs: number;
  singlePass: boolean;
  canvasExport: boolean;
  allowFunctions: boolean;
  themesDir?: string;
  mapsDir?: string;
  logger?: RenderLogger;
  /** RENDER_STRICT_FONTS: every render fails with MISSING_GLYPHS when its text has characters no font draws. */
  strictFonts?: boolean;
  /** Flags added to CHROMIUM_FLAGS (tests use them to make a loopback server look like the internet). */
  extraChromiumFlags?: readonly string[];
}

/** Milliseconds spent in each named step of one render. */
export interface RenderSteps {
  acquireMs: number;
  viewportMs: number;
  setOptionMs: number;
  settleMs: number;
  captureMs: number;
  totalMs: number;
}

export interface RenderResult {
  bytes: Buffer;
  contentType: string;
  /** Size of the image in device pixels. */
  pixelWidth: number;
  pixelHeight: number;
  fingerprint: RenderFingerprint;
  steps: RenderSteps;
  /** `cap` when ECharts never reported `finished` (looping effects) and the capture went ahead. */
  settledBy: 'finished' | 'cap';
  /** The chart page that drew it; 0 for the `ssr` engine, which uses no page. */
  pageId: number;
  /** Characters of the chart's text that no font draws (empty for the `ssr` engine, which is not checked). */
  missingGlyphs: MissingGlyph[];
}

/** Told of each render as it ends; called in the render's own flow, so it must be quick and never throw. */
export interface RenderObserver {
  rendered(request: RenderRequest, result: RenderResult): void;
  failed(request: RenderRequest, error: unknown): void;
}

export interface PoolStats extends FleetStats {
  pages: number;
  busy: number;
  idle: number;
  waiting: number;
  renders: number;
  failures: number;
  timeouts: number;
  recycles: number;
  pageCrashes: number;
  refusedRequests: number;
  /** Renders that had to reload their page for another pixel ratio (no idle page had it). */
  ratioReloads: number;
}

const VALIDATE_TIMEOUT_MS = 2_000;
const OPEN_PAGE_TIMEOUT_MS = 30_000;
/** How often idle pages are looked at for a dead browser (a cheap scan, no round trip). */
const HEAL_INTERVAL_MS = 1_000;

/** The maps an option draws: `geo` components and `map` series, with where each is named. */
export function mapsUsedBy(option: Record<string, unknown>): { field: string; map: string }[] {
  const uses: { field: string; map: string }[] = [];
  for (const key of ['geo', 'series'] as const) {
    const value = option[key];
    const components = Array.isArray(value) ? value : value === undefined ? [] : [value];
    components.forEach((component: unknown, index) => {
      if (component === null || typeof component !== 'object') return;
      const { map, type } = component as Record<string, unknown>;
      if (typeof map !== 'string' || (key === 'series' && type !== 'map')) return;
      uses.push({ field: Array.isArray(value) ? `option.${key}[${index}].map` : `option.${key}.map`, map });
    });
  }
  return uses;
}

export class ChartRenderer {
  private readonly counters = { renders: 0, failures: 0, timeouts: 0, recycles: 0, pageCrashes: 0, refusedRequests: 0, ratioReloads: 0 };
  private readonly slotOfPage = new WeakMap<ChartPage, BrowserSlot>();
  private readonly pool: PagePool<ChartPage>;
  /** Started on the first `ssr` render: most farms never ask for one. */
  private ssr: SsrEngine | undefined;
  private closed = false;
  private readonly observers: RenderObserver[] = [];
  private readonly healer: NodeJS.Timeout;

  private constructor(
    private readonly options: RendererOptions,
    private readonly fleet: BrowserFleet,
    readonly assets: PageAssets,
    readonly fingerprint: RenderFingerprint,
    private readonly logger: RenderLogger,
  ) {
    this.pool = new PagePool<ChartPage>({
      size: options.browsers * options.pagesPerBrowser,
      rendersPerBrowser: Math.min(options.rendersPerBrowser ?? options.pagesPerBrowser, options.pagesPerBrowser),
      acquireTimeoutMs: options.acquireTimeoutMs,
      open: () => this.openPage(),
      close: (page) => this.closePage(page),
      validate: (page) => page.respondsWithin(VALIDATE_TIMEOUT_MS),
      browserOf: (page) => this.slotOfPage.get(page)?.index ?? -1,
      pixelRatioOf: (page) => page.pixelRatio,
      isAlive: (page) => page.healthy,
      logger,
    });
    // A browser that dies while idle is replaced within a second, not on the next render.
    this.healer = setInterval(() => this.pool.healIdle(), HEAL_INTERVAL_MS).unref();
  }

  /** Launches the browsers and opens every page before answering, so the first render is warm. */
  static async start(options: RendererOptions): Promise<ChartRenderer> {
    const logger = options.logger ?? silentLogger;
    const executablePath = locateChromium({ chromiumPath: options.chromiumPath });
    const assets = buildPageAssets(options);
    const flags = [...CHROMIUM_FLAGS, ...SEALED_NETWORK_FLAGS, ...(options.extraChromiumFlags ?? [])];
    const fleet = new BrowserFleet({ executablePath, flags, size: options.browsers, logger });
    try {
      await fleet.start();
      const fingerprint = makeFingerprint({
        chromium: await (await fleet.anyBrowser()).version(),
        echarts: assets.echartsVersion,
        fonts: await fontsHash(),
        flags,
        template: assets.contentHash,
      });
      const renderer = new ChartRenderer(options, fleet, assets, fingerprint, logger);
      await renderer.pool.start();
      const rendersPerBrowser = Math.min(options.rendersPerBrowser ?? options.pagesPerBrowser, options.pagesPerBrowser);
      logger.info(
        { executablePath, fingerprint: fingerprint.hash, pages: renderer.pool.size, browsers: options.browsers, pagesPerBrowser: options.pagesPerBrowser, rendersPerBrowser },
        `renderer ready: page pool ${options.browsers}×${options.pagesPerBrowser}/${rendersPerBrowser} (browsers × pages per browser / renders at once per browser)`,
      );
      return renderer;
    } catch (error) {
      await fleet.close();
      throw error;
    }
  }

  /** Adds an observer told of every render's outcome, synchronous or of a task (the metrics). */
  observeRenders(observer: RenderObserver): void {
    this.observers.push(observer);
  }

  async render(request: RenderRequest): Promise<RenderResult> {
    try {
      const result = await this.renderUnobserved(request);
      for (const observer of this.observers) observer.rendered(request, result);
      return result;
    } catch (error) {
      for (const observer of this.observers) observer.failed(request, error);
      throw error;
    }
  }

  private async renderUnobserved(request: RenderRequest): Promise<RenderResult> {
    if (this.closed) throw systemError('POOL_CLOSED', 'the renderer is shutting down', { retryable: false });
    if (request.theme !== undefined && !this.assets.themes.has(request.theme)) {
      throw validationError('UNKNOWN_THEME', `theme "${request.theme}" is not registered`, {
        field: 'theme',
        available: [...this.assets.themes],
      });
    }
    this.checkMaps(request);
    if (request.engine === 'ssr') return this.renderServerSide(request);
    const started = performance.now();
    const page = await this.acquire(request.devicePixelRatio);
    const acquireMs = performance.now() - started;
    let reusable = false;
    // A page that ran a request's script may keep whatever the script left (globals, wrapped
    // functions, registrations): it serves no other request.
    const ranScript = typeof request.option === 'string';
    if (page.pixelRatio !== request.devicePixelRatio) this.counters.ratioReloads += 1;
    try {
      const capture = await this.renderWithin(page, request);
      const missingGlyphs = await withTimeout(page.missingGlyphs(), VALIDATE_TIMEOUT_MS);
      reusable = true;
      this.counters.renders += 1;
      if (missingGlyphs.length > 0 && (request.strictFonts || this.options.strictFonts)) throw missingGlyphsError(missingGlyphs);
      return {
        bytes: capture.bytes,
        contentType: CONTENT_TYPES[request.type],
        pixelWidth: Math.round(request.width * request.devicePixelRatio),
        pixelHeight: Math.round(request.height * request.devicePixelRatio),
        fingerprint: this.fingerprint,
        steps: { acquireMs, ...capture.steps, totalMs: performance.now() - started },
        settledBy: capture.settledBy,
        pageId: page.id,
        missingGlyphs,
      };
    } catch (error) {
      this.counters.failures += 1;
      // A chart that failed inside a healthy page leaves the page reusable.
      reusable = isFarmError(error) && error.type !== 'SYSTEM_ERROR' && error.reason !== 'RENDER_TIMEOUT' && page.healthy;
      if (ranScript && isFarmError(error) && error.reason === 'BROWSER_CRASHED') {
        // The request's own script brought its page down: another page would go down the same way.
        throw processingError('RENDER_FAILED', `the option script crashed its chart page: ${error.message}`);
      }
      throw error;
    } finally {
      await this.giveBack(page, reusable && !ranScript);
    }
  }

  /** A JSON option that draws a map nobody registered fails here, by name, not inside ECharts. */
  private checkMaps(request: RenderRequest): void {
    if (typeof request.option === 'string') return;
    const registered = this.assets.mapNames;
    for (const use of mapsUsedBy(request.option)) {
      if (registered.includes(use.map)) continue;
      throw validationError(
        'MAP_NOT_REGISTERED',
        `${use.field} names map ${JSON.stringify(use.map)}, which is not registered; put ${use.map}.json (GeoJSON, or {"svg": …}) in MAPS_DIR`,
        { field: use.field, map: use.map, registered: [...registered] },
      );
    }
  }

  /** The `ssr` engine: ECharts' SVG in a worker thread, no page borrowed. */
  private async renderServerSide(request: RenderRequest): Promise<RenderResult> {
    const started = performance.now();
    this.ssr ??= new SsrEngine({ assets: this.assets, timeoutMs: this.options.renderTimeoutMs, logger: this.logger });
    try {
      const output = await this.ssr.render(request);
      this.counters.renders += 1;
      return {
        // The same renumbering of ECharts' counters as the browser's SVG, so both compare.
        bytes: Buffer.from(normalizeSvg(output.svg)),
        contentType: CONTENT_TYPES[request.type],
        pixelWidth: Math.round(request.width * request.devicePixelRatio),
        pixelHeight: Math.round(request.height * request.devicePixelRatio),
        fingerprint: this.fingerprint,
        steps: {
          acquireMs: 0,
          viewportMs: 0,
          setOptionMs: output.setOptionMs,
          settleMs: 0,
          captureMs: output.exportMs,
          totalMs: performance.now() - started,
        },
        settledBy: 'finished',
        pageId: 0,
        missingGlyphs: [],
      };
    } catch (error) {
      this.counters.failures += 1;
      if (isFarmError(error) && error.reason === 'RENDER_TIMEOUT') this.counters.timeouts += 1;
      throw error;
    }
  }

  private async acquire(pixelRatio: number): Promise<ChartPage> {
    try {
      return await this.pool.acquire(pixelRatio);
    } catch (error) {
      if (error instanceof PageWaitTimeout) {
        // Not retried in place: trying again at once only adds load to a saturated pool.
        throw systemError('POOL_EXHAUSTED', `no chart page became free within ${this.options.acquireTimeoutMs} ms`, {
          retryable: false,
          details: { waiting: this.pool.pending, pages: this.pool.size },
        });
      }
      this.logger.error({ err: error }, 'no chart page could be had');
      throw systemError('POOL_CLOSED', 'no chart page could be had', { retryable: false, cause: error });
    }
  }

  private async renderWithin(page: ChartPage, request: RenderRequest) {
    const { finishedWaitMs, singlePass, canvasExport } = this.options;
    const settings = { finishedWaitMs, singlePass, canvasExport };
    try {
      return await withTimeout(page.render(request, settings), this.options.renderTimeoutMs);
    } catch (error) {
      if (isFarmError(error)) {
        if (error.reason === 'BROWSER_CRASHED') this.counters.pageCrashes += 1;
        throw error;
      }
      if (!page.healthy) {
        this.counters.pageCrashes += 1;
        throw systemError('BROWSER_CRASHED', `the chart page failed during the render: ${(error as Error).message}`, { cause: error });
      }
      if (error instanceof DeadlineError) {
        this.counters.timeouts += 1;
        throw new FarmError({
          reason: 'RENDER_TIMEOUT',
          message: `the chart did not finish rendering within ${this.options.renderTimeoutMs} ms (RENDER_TIMEOUT_MS)`,
        });
      }
      this.logger.error({ err: error, pageId: page.id }, 'render failed unexpectedly');
      throw systemError('INTERNAL', 'the render failed unexpectedly; the page was replaced', { retryable: false, cause: error });
    }
  }

  private async giveBack(page: ChartPage, reusable: boolean): Promise<void> {
    const worn =
      page.renders >= this.options.maxRendersPerPage || page.heapBytes > this.options.maxPageHeapMb * 1024 * 1024;
    if (reusable && !worn && page.healthy) {
      this.pool.release(page);
      return;
    }
    if (worn && page.healthy) this.counters.recycles += 1;
    this.pool.destroy(page);
  }

  private async openPage(): Promise<ChartPage> {
    const { slot, browser } = await this.fleet.acquireSlot();
    try {
      const page = await ChartPage.open(browser, {
        assets: this.assets,
        allowFunctions: this.options.allowFunctions,
        openTimeoutMs: OPEN_PAGE_TIMEOUT_MS,
        onRefusedRequest: (url) => {
          this.counters.refusedRequests += 1;
          this.logger.warn({ url: url.slice(0, 200) }, 'refused a request from a chart page');
        },
      });
      this.slotOfPage.set(page, slot);
      return page;
    } catch (error) {
      this.fleet.releaseSlot(slot);
      throw error;
    }
  }

  private async closePage(page: ChartPage): Promise<void> {
    const slot = this.slotOfPage.get(page);
    if (slot) this.fleet.releaseSlot(slot);
    await page.close();
  }

  stats(): PoolStats {
    return {
      ...this.fleet.stats(),
      pages: this.pool.size,
      busy: this.pool.borrowed,
      idle: this.pool.available,
      waiting: this.pool.pending,
      ...this.counters,
    };
  }

  browserPids(): number[] {
    return this.fleet.browserPids();
  }

  /** Lets renders in flight end (up to `graceMs`), then closes every page and browser. */
  async close(graceMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.healer);
    await withTimeout(this.pool.drain(), graceMs).catch(() => undefined);
    await this.ssr?.close(graceMs);
    // Browsers go first: a page still being opened then fails at once instead of holding `clear`.
    await this.fleet.close();
    await withTimeout(this.pool.clear(), graceMs).catch(() => undefined);
  }
}
