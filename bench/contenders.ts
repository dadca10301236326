/**
 * The two ways to turn an option into a PNG that the benchmark compares: the farm's warm page, and a
 * fresh Chromium launched for every render, the way a script without a farm would do it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer';
import { rendererOptions } from '../cli/renderer-options.js';
import { configWith } from '../config/load-config.js';
import { ChartRenderer, type PoolStats, type RendererOptions } from '../renderer/chart-renderer.js';
import type { RenderFingerprint } from '../renderer/fingerprint.js';
import { CHROMIUM_FLAGS } from '../renderer/launch-flags.js';
import { parseRenderRequest, type RenderRequest } from '../renderer/render-request.js';
import { silentLogger } from '../renderer/render-logger.js';
import { CHART_SIZE, type BenchChart } from './charts.js';

export type ContenderId = 'warm' | 'cold';

/** The timings of one render; the image itself is dropped after the warm-up check. */
export interface Sample {
  /** From asking for the image to holding its bytes: what a client waits. */
  latencyMs: number;
  /** How long the contender was busy: the latency plus, for a cold launch, closing the browser. */
  costMs: number;
  /** Named steps, in milliseconds, to see where the time goes. */
  steps: Record<string, number>;
  /** `cap` when ECharts never said `finished` and the capture went ahead anyway. */
  settledBy: 'finished' | 'cap';
}

export interface Rendered extends Sample {
  bytes: Buffer;
}

export interface Contender {
  readonly id: ContenderId;
  render(chart: BenchChart): Promise<Rendered>;
  close(): Promise<void>;
}

/** Both contenders give up waiting for `finished` after this long, as the farm's default does. */
export const FINISHED_WAIT_MS = configWith().renderFinishedWaitMs;

/** (a) The farm with one browser and one warm page, every other setting at its production default. */
export class WarmFarm implements Contender {
  readonly id = 'warm';
  private readonly requests = new Map<string, RenderRequest>();

  private constructor(
    private readonly renderer: ChartRenderer,
    /** The renderer's settings, for the report. */
    readonly settings: Omit<RendererOptions, 'logger'>,
  ) {}

  static async start(chromiumPath: string): Promise<WarmFarm> {
    const options = rendererOptions(configWith({ chromiumPath, poolBrowsers: 1, poolPagesPerBrowser: 1 }), silentLogger);
    const { logger, ...settings } = options;
    return new WarmFarm(await ChartRenderer.start(options), settings);
  }

  get fingerprint(): RenderFingerprint {
    return this.renderer.fingerprint;
  }

  get browserPid(): number | undefined {
    return this.renderer.browserPids()[0];
  }

  stats(): PoolStats {
    return this.renderer.stats();
  }

  async render(chart: BenchChart): Promise<Rendered> {
    // Validation is the server's job, not the render's: parse once per chart, outside the timing.
    let request = this.requests.get(chart.name);
    if (!request) {
      request = parseRenderRequest({ option: chart.option, type: 'png', ...CHART_SIZE }, { allowFunctions: false });
      this.requests.set(chart.name, request);
    }
    const started = performance.now();
    const result = await this.renderer.render(request);
    const latencyMs = performance.now() - started;
    const { totalMs: _totalMs, ...steps } = result.steps;
    return { bytes: result.bytes, latencyMs, costMs: latencyMs, steps, settledBy: result.settledBy };
  }

  close(): Promise<void> {
    return this.renderer.close();
  }
}

const require = createRequire(import.meta.url);
const ECHARTS_SOURCE = readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
const BLANK_PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><style>html, body {margin: 0; padding: 0; background: #fff; overflow: hidden}</style></head>' +
  '<body><div id="main"></div></body></html>';

interface PlainPageInput {
  option: Record<string, unknown>;
  width: number;
  height: number;
  finishedWaitMs: number;
}

/**
 * Runs inside the page. No named inner functions: tsx would wrap them in a `__name` helper that
 * does not exist in the page.
 */
async function drawInPlainPage(input: PlainPageInput): Promise<'finished' | 'cap'> {
  type Chart = { on(event: 'finished', listener: () => void): void; setOption(option: unknown): void };
  const echarts = (window as unknown as { echarts: { init(element: HTMLElement): Chart } }).echarts;
  const div = document.getElementById('main')!;
  div.style.width = `${input.width}px`;
  div.style.height = `${input.height}px`;
  const chart = echarts.init(div);
  const settled = new Promise<'finished' | 'cap'>((resolve) => {
    chart.on('finished', () => resolve('finished'));
    setTimeout(() => resolve('cap'), input.finishedWaitMs);
  });
  chart.setOption({ ...input.option, animation: false });
  const settledBy = await settled;
  // `finished` can come before the last frame is painted (DESIGN.md): the farm waits two frames too.
  await new Promise((resolve) => requestAnimationFrame(resolve));
  await new Promise((resolve) => requestAnimationFrame(resolve));
  return settledBy;
}

/** Each call answers the milliseconds since the previous call (or since the stopwatch was made). */
function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const spent = now - last;
    last = now;
    return spent;
  };
}

/** What a cold render does, for the report. */
export const COLD_STEPS =
  'puppeteer.launch, browser.newPage(), setContent(blank page), addScriptTag(echarts.min.js), init, ' +
  'setOption with animation off, `finished` + 2 frames, clip screenshot PNG, browser.close()';

/** (b) A fresh Chromium per render: same binary, same flags, ECharts injected into a blank page. */
export class ColdLaunch implements Contender {
  readonly id = 'cold';

  private constructor(
    private readonly executablePath: string,
    readonly chromiumVersion: string,
  ) {}

  /** One launch to read the version; it also brings the binary into the page cache before timing. */
  static async prepare(executablePath: string): Promise<ColdLaunch> {
    const browser = await ColdLaunch.launch(executablePath);
    try {
      return new ColdLaunch(executablePath, await browser.version());
    } finally {
      await browser.close();
    }
  }

  private static launch(executablePath: string) {
    return puppeteer.launch({
      executablePath,
      headless: true,
      args: [...CHROMIUM_FLAGS],
      defaultViewport: { ...CHART_SIZE, deviceScaleFactor: 1 },
    });
  }

  async render(chart: BenchChart): Promise<Rendered> {
    const started = performance.now();
    const lap = stopwatch();
    const browser = await ColdLaunch.launch(this.executablePath);
    const launchMs = lap();
    try {
      const page = await browser.newPage();
      await page.setContent(BLANK_PAGE, { waitUntil: 'load' });
      await page.addScriptTag({ content: ECHARTS_SOURCE });
      const pageMs = lap();
      const settledBy = await page.evaluate(drawInPlainPage, { option: chart.option, ...CHART_SIZE, finishedWaitMs: FINISHED_WAIT_MS });
      const drawMs = lap();
      const bytes = Buffer.from(await page.screenshot({ type: 'png', clip: { x: 0, y: 0, ...CHART_SIZE } }));
      const captureMs = lap();
      const latencyMs = performance.now() - started;
      await browser.close();
      const closeMs = lap();
      return {
        bytes,
        latencyMs,
        costMs: performance.now() - started,
        steps: { launchMs, pageMs, drawMs, captureMs, closeMs },
        settledBy,
      };
    } finally {
      if (browser.connected) await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
    }
  }

  async close(): Promise<void> {
    // Nothing stays open between renders.
  }
}
