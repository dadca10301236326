/**
 * Every setting of the farm, declared once. `loadConfig` reads them from the environment,
 * `docs/configuration.md` is generated from them (`npm run docs:config`), and a test fails when that
 * file is stale.
 */
import { availableParallelism } from 'node:os';
import { boolean, declare, integer, oneOf, optionalText, SettingValueError } from './setting.js';

const cpuCount = (): number => Math.max(1, Math.min(availableParallelism(), 16));

export const settings = {
  port: declare({
    env: 'PORT',
    doc: 'TCP port of the HTTP API.',
    defaultValue: 3000,
    ...integer(0, 65535),
  }),
  host: declare({
    env: 'HOST',
    doc: 'Address the HTTP API listens on.',
    defaultValue: '0.0.0.0',
    accepts: 'an IP address or host name',
    parse: (raw: string) => raw.trim(),
  }),
  chromiumPath: declare<string | undefined>({
    env: 'CHROMIUM_PATH',
    doc: "Chromium or Chrome binary. Unset: puppeteer's cache, then /usr/bin/chromium, chromium-browser, google-chrome.",
    defaultValue: undefined,
    defaultDoc: '(searched)',
    ...optionalText('a path to a Chromium or Chrome executable'),
  }),
  poolBrowsers: declare({
    env: 'POOL_BROWSERS',
    doc: 'Browsers in the pool; one per core is fastest (each adds ~300 MiB).',
    defaultValue: cpuCount,
    defaultDoc: 'CPU cores (at most 16)',
    ...integer(1, 64),
  }),
  poolPagesPerBrowser: declare({
    env: 'POOL_PAGES_PER_BROWSER',
    doc: 'Warm pages (windows) per browser; each adds ~130 MiB.',
    defaultValue: 1,
    ...integer(1, 32),
  }),
  poolMaxRendersPerPage: declare({
    env: 'POOL_MAX_RENDERS_PER_PAGE',
    doc: 'A page is replaced by a fresh one after this many renders.',
    defaultValue: 500,
    ...integer(1, 1_000_000),
  }),
  poolMaxPageHeapMb: declare({
    env: 'POOL_MAX_PAGE_HEAP_MB',
    doc: "A page is replaced when its JavaScript heap grows past this many MiB after a render.",
    defaultValue: 512,
    ...integer(16, 16384),
  }),
  poolAcquireTimeoutMs: declare({
    env: 'POOL_ACQUIRE_TIMEOUT_MS',
    doc: 'How long a render waits for a free page before failing with POOL_EXHAUSTED.',
    defaultValue: 30_000,
    ...integer(1, 3_600_000),
  }),
  renderTimeoutMs: declare({
    env: 'RENDER_TIMEOUT_MS',
    doc: 'A render (set option, wait, capture) past this fails with RENDER_TIMEOUT and its page is destroyed.',
    defaultValue: 30_000,
    ...integer(100, 3_600_000),
  }),
  renderFinishedWaitMs: declare({
    env: 'RENDER_FINISHED_WAIT_MS',
    doc: "How long to wait for ECharts' `finished` before capturing anyway (looping effects never finish).",
    defaultValue: 5_000,
    ...integer(0, 600_000),
  }),
  renderSinglePass: declare({
    env: 'RENDER_SINGLE_PASS',
    doc: 'Draw big series in one pass instead of one chunk per frame (series with `large: true` excepted): same pixels, faster.',
    defaultValue: true,
    ...boolean(),
  }),
  renderCanvasExport: declare({
    env: 'RENDER_CANVAS_EXPORT',
    doc: "Take PNGs from the chart's canvas instead of a screenshot: same pixels, one round trip less.",
    defaultValue: true,
    ...boolean(),
  }),
  allowFunctions: declare({
    env: 'ALLOW_FUNCTIONS',
    doc: 'Accept options given as JavaScript source (callbacks such as formatters). Only for trusted clients.',
    defaultValue: false,
    ...boolean(),
  }),
  maxBodyBytes: declare({
    env: 'MAX_BODY_BYTES',
    doc: 'Largest accepted request body, in bytes.',
    defaultValue: 10 * 1024 * 1024,
    ...integer(1024, 1024 * 1024 * 1024),
  }),
  logLevel: declare({
    env: 'LOG_LEVEL',
    doc: 'Log level.',
    defaultValue: 'info' as const,
    ...oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
  }),
  redisUrl: declare<string | undefined>({
    env: 'REDIS_URL',
    doc: 'Redis for the task queue (BullMQ); unset: the in-process memory queue, which keeps nothing across a restart.',
    defaultValue: undefined,
    defaultDoc: '(unset: memory queue)',
    ...optionalText('a redis:// or rediss:// URL'),
  }),
  queuePrefix: declare({
    env: 'QUEUE_PREFIX',
    doc: 'Prefix of every Redis key of this farm, so several farms share one Redis.',
    defaultValue: 'echarts-farm',
    accepts: 'letters, digits, `-`, `_`, `:` and `.`',
    parse: (raw: string) => {
      if (!/^[\w.:-]{1,64}$/.test(raw.trim())) throw new SettingValueError('letters, digits, `-`, `_`, `:` and `.`');
      return raw.trim();
    },
  }),
  queueMaxConcurrent: declare({
    env: 'QUEUE_MAX_CONCURRENT',
    doc: 'Tasks one worker runs at once, fed to its page pool.',
    defaultValue: 10,
    ...integer(1, 1000),
  }),
  queueTaskTimeout: declare({
    env: 'QUEUE_TASK_TIMEOUT',
    doc: 'Seconds a task may run (all steps) before it fails with TASK_TIMEOUT.',
    defaultValue: 300,
    ...integer(1, 86_400),
  }),
  queueRetryAttempts: declare({
    env: 'QUEUE_RETRY_ATTEMPTS',
    doc: 'Retries of a task after a retryable failure (crashed browser, failed upload); bad input is never retried.',
    defaultValue: 3,
    ...integer(0, 100),
  }),
  queueRetryBackoffMs: declare({
    env: 'QUEUE_RETRY_BACKOFF_MS',
    doc: 'Delay before the first retry; each next retry waits twice as long (at most a minute).',
    defaultValue: 1000,
    ...integer(0, 600_000),
  }),
  queueStallTimeoutMs: declare({
    env: 'QUEUE_STALL_TIMEOUT_MS',
    doc: "Redis queue: a worker's hold on a task lasts this long unless renewed; a task whose worker died goes to another within about three times this.",
    defaultValue: 30_000,
    ...integer(1_000, 3_600_000),
  }),
  queueMaxPending: declare({
    env: 'QUEUE_MAX_PENDING',
    doc: 'Pending tasks beyond this are refused with 503 QUEUE_FULL and Retry-After.',
    defaultValue: 10_000,
    ...integer(1, 10_000_000),
  }),
  batchMaxCharts: declare({
    env: 'BATCH_MAX_CHARTS',
    doc: 'Charts one POST /api/charts/batch may hold.',
    defaultValue: 100,
    ...integer(1, 10_000),
  }),
  resultCache: declare({
    env: 'RESULT_CACHE',
    doc: 'Answer a request identical to a completed one (same option, size, type, ratio, background, theme, fingerprint) with its stored image.',
    defaultValue: true,
    ...boolean(),
  }),
  taskRetentionDays: declare({
    env: 'TASK_RETENTION_DAYS',
    doc: 'Task records and their images older than this many days are deleted.',
    defaultValue: 7,
    ...integer(1, 3650),
  }),
  cleanupIntervalHours: declare({
    env: 'CLEANUP_INTERVAL_HOURS',
    doc: 'Hours between two retention sweeps.',
    defaultValue: 24,
    ...integer(1, 8760),
  }),
  webhookSecret: declare<string | undefined>({
    env: 'WEBHOOK_SECRET',
    doc: 'Key of the HMAC-SHA256 signature of webhook calls (header x-echarts-farm-signature); unset: unsigned.',
    defaultValue: undefined,
    defaultDoc: '(unset)',
    secret: true,
    ...optionalText('any text'),
  }),
  storage: declare({
    env: 'STORAGE',
    doc: 'Where images go.',
    defaultValue: 'local' as const,
    ...oneOf(['local'] as const),
  }),
  localStorageDir: declare({
    env: 'LOCAL_STORAGE_DIR',
    doc: 'Folder of the local storage driver.',
    defaultValue: './data/images',
    accepts: 'a folder path',
    parse: (raw: string) => raw.trim(),
  }),
  publicBaseUrl: declare<string | undefined>({
    env: 'PUBLIC_BASE_URL',
    doc: 'Base of the image URLs the API hands out (`<base>/api/images/<taskId>`); unset: URLs relative to the API.',
    defaultValue: undefined,
    defaultDoc: '(unset)',
    ...optionalText('an http(s) URL'),
  }),
  shutdownGraceMs: declare({
    env: 'SHUTDOWN_GRACE_MS',
    doc: 'On SIGTERM, how long running tasks and requests may finish; what remains goes back to the queue.',
    defaultValue: 30_000,
    ...integer(0, 3_600_000),
  }),
  themesDir: declare<string | undefined>({
    env: 'THEMES_DIR',
    doc: 'Folder of custom themes: `<name>.json` files, each registered as theme `<name>` besides the built-in ones.',
    defaultValue: undefined,
    defaultDoc: '(none)',
    ...optionalText('a folder path'),
  }),
  mapsDir: declare<string | undefined>({
    env: 'MAPS_DIR',
    doc: 'Folder of maps: `<mapName>.json` files (GeoJSON, `{geoJSON, specialAreas}` or `{svg}`), registered in every page.',
    defaultValue: undefined,
    defaultDoc: '(none)',
    ...optionalText('a folder path'),
  }),
};

export type Settings = typeof settings;
export type SettingKey = keyof Settings;
export type Config = {
  readonly [K in SettingKey]: Settings[K] extends { parse(raw: string): infer T } ? T : never;
};
