/**
 * The reference the farm must equal: a fresh, plain Chromium page per chart, made the way the
 * corpus README describes (blank page, one div, echarts.init, setOption with animation off, wait
 * for `finished`, screenshot of the div). Nothing of the farm's renderer is used here.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import puppeteer, { type Browser } from 'puppeteer';
import { CHROMIUM_FLAGS } from '../../renderer/launch-flags.js';
import { locateChromium } from '../../renderer/locate-chromium.js';

const require = createRequire(import.meta.url);
const echartsSource = readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
const BLANK_PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><style>html, body {margin: 0; padding: 0; background: #fff; overflow: hidden}</style></head>' +
  '<body><div id="main"></div></body></html>';

export interface ReferenceChart {
  option: Record<string, unknown> | string;
  width: number;
  height: number;
  maps?: Record<string, unknown>;
  /** 'canvas' gives a PNG screenshot, 'svg' gives renderToSVGString(). */
  renderer?: 'canvas' | 'svg';
  extraWaitMs?: number;
  devicePixelRatio?: number;
  /** How long to wait for `finished` (looping effects never send it); a loaded machine needs more. */
  finishedWaitMs?: number;
}

export class ReferenceBrowser {
  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<ReferenceBrowser> {
    const browser = await puppeteer.launch({ executablePath: locateChromium(), headless: true, args: [...CHROMIUM_FLAGS] });
    return new ReferenceBrowser(browser);
  }

  async render(chart: ReferenceChart): Promise<Buffer> {
    const page = await this.browser.newPage({ type: 'window' });
    try {
      await page.setViewport({ width: chart.width, height: chart.height, deviceScaleFactor: chart.devicePixelRatio ?? 1 });
      await page.setContent(BLANK_PAGE, { waitUntil: 'load' });
      await page.addScriptTag({ content: echartsSource });
      const svg = await page.evaluate(
        async (input) => {
          const echarts = (window as any).echarts;
          for (const [name, map] of Object.entries(input.maps)) echarts.registerMap(name, map);
          const option =
            typeof input.option === 'string' ? new Function('echarts', `${input.option}\n;return option;`)(echarts) : input.option;
          option.animation = false;
          if (option.baseOption) option.baseOption.animation = false;
          const div = document.getElementById('main')!;
          div.style.width = `${input.width}px`;
          div.style.height = `${input.height}px`;
          const chart = echarts.init(div, null, { renderer: input.renderer });
          const finished = new Promise<boolean>((resolve) => {
            chart.on('finished', () => resolve(true));
            setTimeout(() => resolve(false), input.finishedWaitMs);
          });
          chart.setOption(option);
          const finishedInTime = await finished;
          await new Promise((resolve) => requestAnimationFrame(resolve));
          await new Promise((resolve) => requestAnimationFrame(resolve));
          // A progressive series is painted a slice per frame (a 15 ms budget), also after
          // `finished` when the CPU is busy: wait until a frame leaves the canvases unchanged
          // (not for looping effects, which never finish and never stand still).
          let before = Array.from(div.querySelectorAll('canvas'), (canvas) => canvas.toDataURL()).join();
          for (let frame = 0; finishedInTime && frame < 600; frame += 1) {
            await new Promise((resolve) => requestAnimationFrame(resolve));
            const now = Array.from(div.querySelectorAll('canvas'), (canvas) => canvas.toDataURL()).join();
            if (now === before) break;
            before = now;
          }
          await new Promise((resolve) => setTimeout(resolve, input.extraWaitMs));
          if (input.renderer !== 'svg') return '';
          // Inlined images load asynchronously, and a loaded machine may need more than the fixed
          // wait: take the SVG once two reads 200 ms apart agree.
          let svg = chart.renderToSVGString() as string;
          for (let i = 0; i < 15; i += 1) {
            await new Promise((resolve) => setTimeout(resolve, 200));
            const again = chart.renderToSVGString() as string;
            if (again === svg) break;
            svg = again;
          }
          return svg;
        },
        {
          option: chart.option,
          width: chart.width,
          height: chart.height,
          maps: chart.maps ?? {},
          renderer: chart.renderer ?? 'canvas',
          extraWaitMs: chart.extraWaitMs ?? 0,
          finishedWaitMs: chart.finishedWaitMs ?? 5_000,
        },
      );
      if (chart.renderer === 'svg') return Buffer.from(svg);
      return Buffer.from(await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: chart.width, height: chart.height } }));
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
