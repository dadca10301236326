/**
 * Naive: a fresh Chromium per render, as hand-written export servers do. Same binary, same flags as
 * the farm; `browser.newPage()`, a blank page, `addScriptTag` with `echarts.min.js`, `init`,
 * `setOption` with animation off, `finished` and two frames, a clip screenshot, `browser.close()`.
 * It draws as a plain page does (progressively, screenshot), so its PNG is the plain page's: the
 * pixel check against the limit proves the limit's shortcuts keep the pixels.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import puppeteer, { type Browser } from 'puppeteer';
import type { RenderTarget, TargetRender, WorkloadChart } from '../../measure/render-target.js';
import { CHROMIUM_FLAGS } from '../../renderer/launch-flags.js';
import { closeBrowser, pidOf } from './browser-launch.js';

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
  // `finished` can come before the last frame is painted (DESIGN.md).
  await new Promise((resolve) => requestAnimationFrame(resolve));
  await new Promise((resolve) => requestAnimationFrame(resolve));
  return settledBy;
}

export class NaiveLaunchTarget implements RenderTarget {
  readonly id = 'naive';
  readonly label = 'naive (browser launched per render)';
  /** Browsers of renders in flight, for the memory figures. */
  private readonly live = new Set<Browser>();

  private constructor(
    private readonly executablePath: string,
    private readonly finishedWaitMs: number,
  ) {}

  /** One launch first: it brings the binary into the page cache before anything is timed. */
  static async start(executablePath: string, finishedWaitMs: number): Promise<NaiveLaunchTarget> {
    const target = new NaiveLaunchTarget(executablePath, finishedWaitMs);
    await closeBrowser(await target.launch());
    return target;
  }

  private launch(): Promise<Browser> {
    return puppeteer.launch({ executablePath: this.executablePath, headless: true, args: [...CHROMIUM_FLAGS] });
  }

  async render(chart: WorkloadChart): Promise<TargetRender> {
    const browser = await this.launch();
    this.live.add(browser);
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: chart.width, height: chart.height, deviceScaleFactor: chart.pixelRatio });
      await page.setContent(BLANK_PAGE, { waitUntil: 'load' });
      await page.addScriptTag({ content: ECHARTS_SOURCE });
      const settledBy = await page.evaluate(drawInPlainPage, {
        option: chart.option,
        width: chart.width,
        height: chart.height,
        finishedWaitMs: this.finishedWaitMs,
      });
      const bytes = Buffer.from(await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: chart.width, height: chart.height } }));
      return { bytes, settledBy };
    } finally {
      // Closing is part of the render: the server can take the next request only after it.
      await closeBrowser(browser);
      this.live.delete(browser);
    }
  }

  processIds(): number[] {
    return [...this.live].flatMap(pidOf);
  }

  async close(): Promise<void> {
    await Promise.all([...this.live].map(closeBrowser));
  }
}
