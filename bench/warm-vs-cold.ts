/**
 * `npm run bench [-- --quick]`: the farm's warm page against a Chromium launched for every render.
 * Wiring only; bench/README.md says how to read the results.
 */
import { join, relative } from 'node:path';
import { locateChromium } from '../renderer/locate-chromium.js';
import { CHROMIUM_FLAGS } from '../renderer/launch-flags.js';
import { packageRoot } from '../renderer/package-root.js';
import { BENCH_CHARTS, CHART_SIZE } from './charts.js';
import { COLD_STEPS, ColdLaunch, FINISHED_WAIT_MS, WarmFarm } from './contenders.js';
import { runInterleaved, type Schedule } from './interleave.js';
import { treeMemory } from '../renderer/process-tree.js';
import { readMode } from './bench-mode.js';
import { ProgressLine } from './progress-line.js';
import { buildReport, describeMachine, describeSource, formatConsole, puppeteerVersion, writeResults } from './report.js';

/** About 1 minute in all with --quick, about 4½ without, on a 2-core machine. */
const SCHEDULES: Record<'quick' | 'full', Schedule> = {
  quick: { measureSeconds: 45, warmPerSlice: 4, warmupRounds: 1, minRounds: 2 },
  full: { measureSeconds: 250, warmPerSlice: 4, warmupRounds: 1, minRounds: 5 },
};

const mode = readMode('npm run bench [-- --quick]');
const schedule = SCHEDULES[mode];

// Leaving through process.exit runs puppeteer's exit hooks, which kill every browser; dying of the
// signal itself would leave the farm's Chromium behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const startedAt = new Date();
const machine = describeMachine();
const progress = new ProgressLine();
progress.update('launching Chromium');
const chromiumPath = locateChromium({ chromiumPath: process.env.CHROMIUM_PATH });
const cold = await ColdLaunch.prepare(chromiumPath);
const warm = await WarmFarm.start(chromiumPath);
try {
  const run = await runInterleaved(BENCH_CHARTS, { warm, cold }, schedule, progress);
  const browserPid = warm.browserPid;
  const warmBrowserMemory = browserPid === undefined ? undefined : treeMemory(browserPid);
  progress.done(`measured ${run.rounds} rounds`);
  const report = buildReport({
    startedAt,
    machine,
    versions: {
      farm: { ...describeSource(), fingerprint: warm.fingerprint },
      node: process.version,
      chromium: { warm: warm.fingerprint.chromium, cold: cold.chromiumVersion },
      chromiumPath,
      echarts: warm.fingerprint.echarts,
      puppeteer: puppeteerVersion(),
    },
    settings: {
      mode,
      schedule,
      image: { type: 'png', ...CHART_SIZE, devicePixelRatio: 1 },
      warm: warm.settings,
      cold: { flags: CHROMIUM_FLAGS, finishedWaitMs: FINISHED_WAIT_MS, steps: COLD_STEPS },
    },
    charts: BENCH_CHARTS,
    run,
    warmBrowserMemory,
    farmStats: warm.stats(),
  });
  const files = writeResults(report, join(packageRoot(), 'bench'));
  console.log(formatConsole(report));
  console.log(`\nwrote ${relative(process.cwd(), files.json)} and ${relative(process.cwd(), files.markdown)}`);
} finally {
  await warm.close();
}
