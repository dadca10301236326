/**
 * Fidelity under load: charts rendered through the farm while busy loops keep every core saturated
 * and several renders are in flight, each compared with a plain Chromium page's render of the same
 * chart made before the load started. Used by the bounded test in the suite and by `npm run fidelity`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { corpusMapsDir } from './corpus.js';
import { optionOf, type FidelityChart } from './fidelity-charts.js';
import { differingPixels } from './pixels.js';
import { ReferenceBrowser } from './reference-browser.js';
import { request, startTestRenderer } from './renderer.js';

export interface StressSettings {
  charts: FidelityChart[];
  pixelRatios: number[];
  /** Renders in flight at once (pages of the farm's browser). */
  inFlight: number;
  /** Busy loops that run during the renders; 0 for a quiet run. */
  busyLoops: number;
  /** Keep rendering the cases again until this much time under load has passed (at least one pass). */
  minLoadMs: number;
  onProgress?: (line: string) => void;
}

export interface StressCase {
  chart: FidelityChart;
  pixelRatio: number;
}

export interface StressDifference {
  name: string;
  pixelRatio: number;
  /** Differing pixels, -1 when the sizes differ; or the error the farm answered. */
  pixels: number;
  error?: string;
}

export interface StressResult {
  cases: number;
  renders: number;
  passes: number;
  busyLoops: number;
  inFlight: number;
  loadMs: number;
  /** The 1-minute load average at the end of the loaded run (taken by the OS). */
  loadAverageAtEnd: number;
  /** Renders that hit the cap (only looping effects should). */
  capped: string[];
  differences: StressDifference[];
}

/** One busy loop per core, or as many as asked: `node -e 'for(;;){}'` children, killed by `stop`. */
export function startBusyLoops(count: number): { stop: () => Promise<void> } {
  const loops: ChildProcess[] = [];
  for (let i = 0; i < count; i += 1) loops.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return {
    async stop() {
      await Promise.all(
        loops.map(
          (loop) =>
            new Promise<void>((resolve) => {
              if (loop.exitCode !== null || loop.signalCode !== null) return resolve();
              loop.once('exit', () => resolve());
              loop.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}

export function defaultBusyLoops(): number {
  return Math.max(2, availableParallelism());
}

const caseName = (item: StressCase): string => `${item.chart.name}@${item.pixelRatio}`;

async function renderReferences(cases: StressCase[], onProgress?: (line: string) => void): Promise<Map<string, Buffer>> {
  const reference = await ReferenceBrowser.launch();
  const references = new Map<string, Buffer>();
  try {
    for (const item of cases) {
      const { width, height, maps, extraWaitMs, referenceFinishedWaitMs: finishedWaitMs } = item.chart;
      const png = await reference.render({ option: optionOf(item.chart), width, height, maps, extraWaitMs, finishedWaitMs, devicePixelRatio: item.pixelRatio });
      references.set(caseName(item), png);
    }
  } finally {
    await reference.close();
  }
  onProgress?.(`${references.size} quiet references rendered`);
  return references;
}

/** Runs `work` over `items` with at most `limit` at once. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}

export async function runStressFidelity(settings: StressSettings): Promise<StressResult> {
  const cases = settings.charts.flatMap((chart) => settings.pixelRatios.map((pixelRatio) => ({ chart, pixelRatio })));
  const references = await renderReferences(cases, settings.onProgress);
  const renderer: ChartRenderer = await startTestRenderer({
    mapsDir: corpusMapsDir(),
    allowFunctions: true,
    pagesPerBrowser: settings.inFlight,
    renderTimeoutMs: 180_000,
    acquireTimeoutMs: 600_000,
  });
  const differences = new Map<string, StressDifference>();
  const capped = new Set<string>();
  let renders = 0;
  let passes = 0;
  const loops = startBusyLoops(settings.busyLoops);
  const started = performance.now();
  try {
    do {
      await eachLimited(cases, settings.inFlight, async (item) => {
        const { width, height } = item.chart;
        const name = caseName(item);
        try {
          const result = await renderer.render(request({ option: optionOf(item.chart), width, height, devicePixelRatio: item.pixelRatio }));
          if (result.settledBy === 'cap') capped.add(name);
          const pixels = differingPixels(result.bytes, references.get(name)!);
          // The tolerance of nondeterministic charts is in CSS pixels: a ratio of 2 has 4 device pixels for each.
          const allowed = item.chart.allowedDifference * item.pixelRatio ** 2;
          if (pixels < 0 || pixels > allowed) differences.set(name, { name: item.chart.name, pixelRatio: item.pixelRatio, pixels });
        } catch (error) {
          differences.set(name, { name: item.chart.name, pixelRatio: item.pixelRatio, pixels: -1, error: (error as Error).message });
        }
        renders += 1;
      });
      passes += 1;
      settings.onProgress?.(`pass ${passes}: ${renders} renders, ${differences.size} differing, load ${loadavg()[0]!.toFixed(1)}`);
    } while (performance.now() - started < settings.minLoadMs);
  } finally {
    await loops.stop();
    await renderer.close();
  }
  return {
    cases: cases.length,
    renders,
    passes,
    busyLoops: settings.busyLoops,
    inFlight: settings.inFlight,
    loadMs: performance.now() - started,
    loadAverageAtEnd: loadavg()[0]!,
    capped: [...capped],
    differences: [...differences.values()],
  };
}
