/**
 * `npm run bench [-- --quick | --smoke] [--out <dir>] [--compare <old.json> [<new.json>]]`: the
 * benchmark suite. Wiring only; bench/README.md says what is measured and how to read it.
 */
import { join, relative } from 'node:path';
import { configWith } from '../config/load-config.js';
import { describeMachine } from '../measure/machine.js';
import { ProgressLine } from '../measure/progress-line.js';
import { locateChromium } from '../renderer/locate-chromium.js';
import { packageRoot } from '../renderer/package-root.js';
import { ContenderSet } from './contender-set.js';
import { latestQueueFigures } from './queue-latest.js';
import { describeSource, packageVersion } from './record-header.js';
import { formatComparison, readSuiteRecord } from './suite-compare.js';
import { renderSuiteFigures } from './suite-figures.js';
import { readSuiteOptions } from './suite-options.js';
import { writeSuiteFiles } from './suite-output.js';
import { suitePlan } from './suite-plan.js';
import { buildSuiteRecord } from './suite-record.js';
import { formatSuiteConsole } from './suite-report.js';
import { runSuite } from './suite-run.js';

const options = readSuiteOptions();
if (options.compareWith !== undefined && options.compareRecord !== undefined) {
  console.log(formatComparison(readSuiteRecord(options.compareWith), readSuiteRecord(options.compareRecord), options.compareWith, options.compareRecord));
  process.exit(0);
}
// Read before the run, so a wrong path stops it before ten minutes are spent.
const earlier = options.compareWith === undefined ? undefined : readSuiteRecord(options.compareWith);

const benchDir = join(packageRoot(), 'bench');
const plan = suitePlan(options.mode);
const startedAt = new Date();
const machine = describeMachine();
const progress = new ProgressLine();
const executablePath = locateChromium({ chromiumPath: process.env.CHROMIUM_PATH });
const contenders = new ContenderSet(plan, {
  executablePath,
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  onStarting: (what) => progress.update(what),
});

// Interrupted: browsers, the client process and the Redis keys go too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress.done(`${signal}: cleaning up`);
    const forced = setTimeout(() => process.exit(130), 20_000);
    void contenders.close().finally(() => {
      clearTimeout(forced);
      process.exit(130);
    });
  });
}

try {
  await contenders.start();
  const run = await runSuite(plan, contenders, executablePath, progress);
  const contenderList = contenders.targets.map((target) => ({ id: target.id, label: target.label }));
  progress.update('closing the contenders');
  await contenders.close();
  const fingerprint = contenders.fingerprint!;
  const record = buildSuiteRecord({
    startedAt,
    machine,
    versions: {
      farm: { ...describeSource(), fingerprint },
      node: process.version,
      chromium: fingerprint.chromium,
      chromiumPath: executablePath,
      echarts: fingerprint.echarts,
      puppeteer: packageVersion('puppeteer'),
      puppeteerCluster: packageVersion('puppeteer-cluster'),
    },
    settings: { plan, contenders: contenderList },
    run,
    queue: latestQueueFigures(join(benchDir, 'results')),
  });
  progress.update('rendering the charts with the farm');
  const figures = await renderSuiteFigures(record.sections.main, configWith({ chromiumPath: executablePath }));
  const files = writeSuiteFiles(record, figures, benchDir, options.outDir);
  progress.done(`done in ${Math.round(record.wallMs / 1000)} s`);
  console.log(formatSuiteConsole(record));
  console.log(`\nwrote ${[files.markdown, files.json, ...files.pngs].map((path) => relative(process.cwd(), path)).join(', ')}`);
  if (earlier) console.log(`\n${formatComparison(earlier, record, options.compareWith!, relative(process.cwd(), files.json))}`);
} finally {
  await contenders.close();
}
