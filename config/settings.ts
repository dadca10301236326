/**
 * Every setting of the farm, declared once. `loadConfig` reads them from the environment,
 * `docs/configuration.md` is generated from them (`npm run docs:config`), and a test fails when that
 * file is stale.
 */
import { availableParallelism } from 'node:os';
import { boolean, declare, integer, oneOf, optionalText } from './setting.js';

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
