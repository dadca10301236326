/**
 * `npm run bench:queue [-- --quick]`: how many tasks the API accepts per second, and how much
 * latency a task adds over a direct render, on the memory and the Redis backend side by side.
 * Wiring only; bench/README.md says how to read the results.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { configWith } from '../config/load-config.js';
import { rendererOptions } from '../farm/renderer-options.js';
import { ChartRenderer } from '../renderer/chart-renderer.js';
import { locateChromium } from '../renderer/locate-chromium.js';
import { packageRoot } from '../renderer/package-root.js';
import { readMode } from './bench-mode.js';
import { CHART_SIZE, QUEUE_CHART } from './charts.js';
import { HttpLoadClient } from './http-load-client.js';
import { ProgressLine } from '../measure/progress-line.js';
import { discardingLogger, openLatencyFarm, RedisAdmin, type BackendId, type LatencyFarm } from './queue-farms.js';
import { buildQueueReport, describeChart, formatQueueConsole, writeQueueResults } from './queue-report.js';
import { runQueueBenchmark, type QueueSchedule } from './queue-run.js';
import { describeMachine } from '../measure/machine.js';
import { describeSource, packageVersion } from './record-header.js';

/** About 1 minute in all with --quick, about 4 without, on a 2-core machine. */
const SCHEDULES: Record<'quick' | 'full', QueueSchedule> = {
  quick: {
    measureSeconds: 40,
    minRounds: 2,
    warmupRounds: 1,
    concurrencies: [1, 8, 32],
    acceptSliceMs: 600,
    acceptWarmupPerConnection: 2,
    latencyPairsPerSlice: 4,
  },
  full: {
    measureSeconds: 230,
    minRounds: 5,
    warmupRounds: 1,
    concurrencies: [1, 8, 32],
    acceptSliceMs: 1_200,
    acceptWarmupPerConnection: 2,
    latencyPairsPerSlice: 10,
  },
};

const mode = readMode('npm run bench:queue [-- --quick]');
const schedule = SCHEDULES[mode];
const chart = QUEUE_CHART;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every Redis key of this run is below it; all of them are deleted at the end. */
const runPrefix = `bench-queue-${randomUUID().slice(0, 8)}`;

const startedAt = new Date();
const machine = describeMachine();
const progress = new ProgressLine();
const logger = discardingLogger();

progress.update('connecting to Redis');
const redis = await RedisAdmin.connect(redisUrl).catch((error: unknown) => {
  progress.done((error as Error).message);
  process.exit(1);
});
const storeRoot = mkdtempSync(join(tmpdir(), 'bench-queue-images-'));
let renderer: ChartRenderer | undefined;
let client: HttpLoadClient | undefined;
const latencyFarms: Partial<Record<BackendId, LatencyFarm>> = {};

let cleaning: Promise<void> | undefined;
/** Stops what the run started and deletes its Redis keys and images; safe to call twice. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    client?.close();
    for (const farm of Object.values(latencyFarms)) await farm.close().catch(() => undefined);
    await renderer?.close().catch(() => undefined);
    await redis.deleteKeys(runPrefix).catch((error: unknown) => console.error(`could not delete the Redis keys below ${runPrefix}: ${(error as Error).message}`));
    await redis.close();
    rmSync(storeRoot, { recursive: true, force: true });
  })();
  return cleaning;
}

// Interrupted: the Redis keys and images go too. Leaving through process.exit also runs puppeteer's
// exit hooks, which kill the browser should closing it have failed.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress.done(`${signal}: cleaning up`);
    const forced = setTimeout(() => process.exit(130), 10_000);
    void cleanUp().finally(() => {
      clearTimeout(forced);
      process.exit(130);
    });
  });
}

try {
  const redisInfo = await redis.describe();
  progress.update('launching Chromium');
  const chromiumPath = locateChromium({ chromiumPath: process.env.CHROMIUM_PATH });
  // One browser with one page, never recycled within the run, so the queue's cost is what varies.
  const single = { chromiumPath, poolBrowsers: 1, poolPagesPerBrowser: 1, poolRendersPerBrowser: 1, poolMaxRendersPerPage: 1_000_000 };
  renderer = await ChartRenderer.start(rendererOptions(configWith(single), logger));
  progress.update('starting the HTTP client and the farms');
  client = await HttpLoadClient.start();
  const context = { redisUrl, logger };
  latencyFarms.memory = await openLatencyFarm(context, 'memory', `${runPrefix}:latency-memory`, renderer, join(storeRoot, 'memory'));
  latencyFarms.redis = await openLatencyFarm(context, 'redis', `${runPrefix}:latency-redis`, renderer, join(storeRoot, 'redis'));

  const run = await runQueueBenchmark({
    context,
    redis,
    runPrefix,
    chart,
    size: CHART_SIZE,
    client,
    renderer,
    latencyFarms: { memory: latencyFarms.memory, redis: latencyFarms.redis },
    schedule,
    progress,
  });
  progress.done(`measured ${run.rounds} rounds`);

  const publicRedisUrl = new URL(redisUrl);
  publicRedisUrl.username = '';
  publicRedisUrl.password = '';
  const report = buildQueueReport({
    startedAt,
    machine,
    versions: {
      farm: { ...describeSource(), fingerprint: renderer.fingerprint },
      node: process.version,
      redis: redisInfo,
      chromium: renderer.fingerprint.chromium,
      chromiumPath,
      echarts: renderer.fingerprint.echarts,
      bullmq: packageVersion('bullmq'),
      ioredis: packageVersion('ioredis'),
      puppeteer: packageVersion('puppeteer'),
    },
    settings: {
      mode,
      schedule,
      chart: describeChart(chart, CHART_SIZE),
      redis: { url: publicRedisUrl.href, prefix: runPrefix },
      client:
        'a separate Node process (http-load-process.ts), node:http over a keep-alive agent with one connection per request in flight; ' +
        'it shares the cores with the farm and Redis.',
      queue:
        'createTaskQueue and createApp as `echarts-farm api` (accept) and `serve` (latency) build them, production settings (configWith()) ' +
        'but QUEUE_MAX_PENDING 10,000,000 and RESULT_CACHE off; accept slices on a fresh queue each (Redis: a fresh key prefix, deleted after the slice).',
      logging: 'Logs at the production level (info, JSON) into /dev/null.',
      renderer:
        'production settings but 1 browser × 1 page and no recycling within the run; ' +
        'shared by the two workers and the direct renders.',
    },
    run,
  });
  const files = writeQueueResults(report, join(packageRoot(), 'bench'));
  console.log(formatQueueConsole(report));
  console.log(`\nwrote ${relative(process.cwd(), files.json)} and ${relative(process.cwd(), files.markdown)}`);
} finally {
  await cleanUp();
  logger.flush();
}
