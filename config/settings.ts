/**
 * Every setting of the farm, declared once. `loadConfig` reads them from the environment,
 * `docs/configuration.md` is generated from them (`npm run docs:config`), and a test fails when that
 * file is stale.
 */
import { hostPoolShape } from './pool-shape.js';
import { apiKeyList, ownerFile, type ApiKeyEntry, type OwnerEntry } from './api-keys-setting.js';
import { boolean, declare, hostList, integer, oneOf, optionalText, optionalUrl, SettingValueError } from './setting.js';

export const settings = {
  port: declare({
    env: 'PORT',
    doc: 'TCP port of the HTTP API.',
    defaultValue: 3000,
    ...integer(0, 65535),
  }),
  workerHttpPort: declare<number | undefined>({
    env: 'WORKER_HTTP_PORT',
    doc: 'echarts-farm worker: port of its own small HTTP listener with /healthz, /readyz and /metrics only (probes, Prometheus); unset: a worker answers no HTTP.',
    defaultValue: undefined,
    defaultDoc: '(unset)',
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
    doc: 'Browsers in the pool; one per core is fastest (each adds ~300 MiB, ~700 MiB with its two pages after hundreds of renders).',
    defaultValue: () => hostPoolShape().browsers,
    defaultDoc: 'CPU cores, fewer when half the memory cannot hold 700 MiB per browser (at most 16)',
    ...integer(1, 64),
  }),
  poolPagesPerBrowser: declare({
    env: 'POOL_PAGES_PER_BROWSER',
    doc: 'Warm pages (windows) per browser; each adds ~130 MiB. Two keep pixel ratios 1 and 2 warm side by side.',
    defaultValue: () => hostPoolShape().pagesPerBrowser,
    defaultDoc: '2',
    ...integer(1, 32),
  }),
  poolRendersPerBrowser: declare({
    env: 'POOL_RENDERS_PER_BROWSER',
    doc: 'Renders at once in one browser, at most POOL_PAGES_PER_BROWSER; its other pages stay warm for other pixel ratios (a page renders only at the ratio it was loaded with). One render per browser keeps a core per render; set it to POOL_PAGES_PER_BROWSER to render on every page at once.',
    defaultValue: () => hostPoolShape().rendersPerBrowser,
    defaultDoc: '1',
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
    doc: 'How long a chart with nothing but looping effects left (they never finish) runs before it is captured; a chart still drawing then fails with RENDER_UNSETTLED.',
    defaultValue: 5_000,
    ...integer(0, 600_000),
  }),
  renderSinglePass: declare({
    env: 'RENDER_SINGLE_PASS',
    doc: 'Draw big series in one pass instead of one chunk per frame where that was proven to keep the pixels (not `large: true` or `custom` series): faster.',
    defaultValue: true,
    ...boolean(),
  }),
  renderCanvasExport: declare({
    env: 'RENDER_CANVAS_EXPORT',
    doc: "Take PNGs from the chart's canvas instead of a screenshot: same pixels, one round trip less.",
    defaultValue: true,
    ...boolean(),
  }),
  renderStrictFonts: declare({
    env: 'RENDER_STRICT_FONTS',
    doc: "Fail every render whose text has characters no font of the page draws with MISSING_GLYPHS (a request's strictFonts does it for one render); off: such renders succeed and report missingGlyphs.",
    defaultValue: false,
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
  maxOptionDepth: declare({
    env: 'MAX_OPTION_DEPTH',
    doc: 'Deepest nesting of objects and arrays in an option (the option itself is level 1); deeper: 400 INVALID_OPTION naming this limit.',
    defaultValue: 64,
    ...integer(2, 10_000),
  }),
  maxOptionNodes: declare({
    env: 'MAX_OPTION_NODES',
    doc: 'Most values (objects, arrays, strings, numbers, booleans, nulls) in one option; more: 400 INVALID_OPTION naming this limit.',
    defaultValue: 5_000_000,
    ...integer(1, 100_000_000),
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
    ...optionalUrl(['redis', 'rediss']),
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
  ownerMaxPending: declare({
    env: 'OWNER_MAX_PENDING',
    doc: 'Pending tasks one owner may hold at once; more are refused with 429 QUOTA_EXCEEDED and Retry-After, so one owner cannot fill the queue. 0: only QUEUE_MAX_PENDING holds.',
    defaultValue: 0,
    ...integer(0, 10_000_000),
  }),
  workerLivenessMs: declare({
    env: 'WORKER_LIVENESS_MS',
    doc: 'A worker whose last heartbeat is older than this drops out of /api/system/workers and the live-workers metric (a worker that stops cleanly leaves at once); heartbeats come every third of it, at most every 5 s.',
    defaultValue: 30_000,
    ...integer(1_000, 3_600_000),
  }),
  admissionMinFreeMemoryMb: declare({
    env: 'ADMISSION_MIN_FREE_MEMORY_MB',
    doc: 'Synchronous renders are refused with 503 OVERLOADED and Retry-After while the host (or its cgroup) has less memory available than this many MiB, and GET /pressure answers 503; 0: memory never refuses.',
    defaultValue: 0,
    ...integer(0, 16_777_216),
  }),
  batchMaxCharts: declare({
    env: 'BATCH_MAX_CHARTS',
    doc: 'Charts one POST /api/charts/batch or /api/charts/export may hold.',
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
  apiKeys: declare<readonly ApiKeyEntry[]>({
    env: 'API_KEYS',
    doc: 'Keys callers send as `X-API-Key` or `Authorization: Bearer`, as `owner:key` pairs; each owner sees only its own tasks. Unset (and no JWT_SECRET): no authentication, every caller is one owner.',
    defaultValue: [],
    defaultDoc: '(unset: open)',
    secret: true,
    ...apiKeyList(),
  }),
  apiKeysFile: declare<readonly OwnerEntry[]>({
    env: 'API_KEYS_FILE',
    doc: 'A file of owners, one a line: `<owner> key=<key> [key=...] [scope=admin] [rate=<charts a minute>] [maxPending=<tasks>] [webhookSecret=<secret>]`. Its keys count like API_KEYS; `scope=admin` sees every task and the system views; rate, maxPending and webhookSecret replace RATE_LIMIT_PER_MINUTE, OWNER_MAX_PENDING and WEBHOOK_SECRET for that owner. Read at startup.',
    defaultValue: [],
    defaultDoc: '(unset)',
    // The parsed file holds keys and webhook secrets.
    secret: true,
    ...ownerFile(),
  }),
  jwtSecret: declare<string | undefined>({
    env: 'JWT_SECRET',
    doc: 'Shared secret of HS256 JSON Web Tokens sent as `Authorization: Bearer`; the token\'s `sub` is the owner, `exp` is required.',
    defaultValue: undefined,
    defaultDoc: '(unset: no tokens)',
    secret: true,
    accepts: 'a secret of at least 32 characters',
    parse(raw: string) {
      const secret = raw.trim();
      if (secret === '') return undefined;
      // A short HMAC key can be guessed offline from any one token.
      if (secret.length < 32) throw new SettingValueError('a secret of at least 32 characters');
      return secret;
    },
  }),
  jwtAudience: declare<string | undefined>({
    env: 'JWT_AUDIENCE',
    doc: 'When set, a token must name this audience in its `aud` claim.',
    defaultValue: undefined,
    defaultDoc: '(unset: not checked)',
    ...optionalText('any text'),
  }),
  jwtIssuer: declare<string | undefined>({
    env: 'JWT_ISSUER',
    doc: 'When set, a token must have this `iss` claim.',
    defaultValue: undefined,
    defaultDoc: '(unset: not checked)',
    ...optionalText('any text'),
  }),
  jwtMaxLifetimeSeconds: declare({
    env: 'JWT_MAX_LIFETIME_SECONDS',
    doc: 'A token whose `exp` lies further ahead than this is refused, so a leaked token cannot stay valid for years.',
    defaultValue: 86_400,
    ...integer(60, 31_536_000),
  }),
  jwtJwksUrl: declare<string | undefined>({
    env: 'JWT_JWKS_URL',
    doc: "URL of the identity provider's JSON Web Key Set: tokens signed with its keys (RS256, ES256, EdDSA, ...) are accepted, besides HS256 tokens under JWT_SECRET.",
    defaultValue: undefined,
    defaultDoc: '(unset)',
    accepts: 'an http or https URL',
    parse(raw: string) {
      const text = raw.trim();
      if (text === '') return undefined;
      if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) throw new SettingValueError('an http or https URL');
      return text;
    },
  }),
  rateLimitPerMinute: declare({
    env: 'RATE_LIMIT_PER_MINUTE',
    doc: 'Charts one owner may ask for per minute (a batch of 50 costs 50; every other POST that creates work costs 1); more get 429 RATE_LIMITED with Retry-After. With REDIS_URL the count is shared by every API process. 0: no limit.',
    defaultValue: 0,
    ...integer(0, 1_000_000),
  }),
  webhookSecret: declare<string | undefined>({
    env: 'WEBHOOK_SECRET',
    doc: 'Key of the HMAC-SHA256 signature of webhook calls (header x-echarts-farm-signature); unset: unsigned.',
    defaultValue: undefined,
    defaultDoc: '(unset)',
    secret: true,
    ...optionalText('any text'),
  }),
  webhookAllowHosts: declare<readonly string[]>({
    env: 'WEBHOOK_ALLOW_HOSTS',
    doc: "Hosts and address ranges webhooks may reach although they are in the farm's own network (loopback, private, link-local, unique-local, ...), which is otherwise refused at submission and at delivery. Comma-separated host names, IP addresses and CIDR ranges.",
    defaultValue: [],
    defaultDoc: '(none)',
    ...hostList(),
  }),
  storage: declare({
    env: 'STORAGE',
    doc: 'Where images go: `local` disk (LOCAL_STORAGE_DIR), Aliyun `oss` (OSS_*) or `s3` and S3-compatible servers (S3_*). Missing settings of the chosen driver stop startup.',
    defaultValue: 'local' as const,
    ...oneOf(['local', 'oss', 's3'] as const),
  }),
  storageCheckOnStart: declare({
    env: 'STORAGE_CHECK_ON_START',
    doc: 'At startup write and delete a probe object, so a wrong bucket, region, key or permission stops the farm with a plain message instead of failing the first task.',
    defaultValue: true,
    ...boolean(),
  }),
  localStorageDir: declare({
    env: 'LOCAL_STORAGE_DIR',
    doc: 'Folder of the local storage driver.',
    defaultValue: './data/images',
    accepts: 'a folder path',
    parse: (raw: string) => raw.trim(),
  }),
  ossAccessKeyId: declare<string | undefined>({
    env: 'OSS_ACCESS_KEY_ID',
    doc: 'STORAGE=oss: AccessKey ID of a RAM user that may put, get and delete objects in the bucket.',
    defaultValue: undefined,
    defaultDoc: '(unset)',
    ...optionalText('an AccessKey ID'),
  }),
  ossAccessKeySecret: declare<string | undefined>({
    env: 'OSS_ACCESS_KEY_SECRET',
    doc: 'STORAGE=oss: the AccessKey secret of OSS_ACCESS_KEY_ID.',
    defaultValue: undefined,
    defaultDoc: '(unset)',
    secret: true,
    ...optionalText('an AccessKey secret'),
  }),
  ossBucket: declare<string | undefined>({
    env: 'OSS_BUCKET',
    doc: 'STORAGE=oss: the bucket.',
    defaultValue: undefined,
    defaultDoc: '(unset)',
    ...optionalText('a bucket name: 3 to 63 lowercase letters, digits and hyphens'),
  }),
  ossRegion: declare<string | undefined>({
    env: 'OSS_REGION',
    doc: 'STORAGE=oss: region of the bucket (`cn-hangzhou` reads as `oss-cn-hangzhou`); required unless OSS_ENDPOINT is set.',
    defaultValue: undefined,
    defaultDoc: '(unset)',
    ...optionalText('a region id such as oss-cn-hangzhou'),
  }),
  ossEndpoint: declare<string | undefined>({
    env: 'OSS_ENDPOINT',
    doc: "STORAGE=oss: endpoint to use instead of the region's public one (internal, accelerated, or an OSS-compatible server). An IP address works with OSS_REGION set (the bucket is named in the Host header); the farm then serves the images itself.",
    defaultValue: undefined,
    defaultDoc: '(unset: from OSS_REGION)',
    ...optionalText('a host name, an IP address or an http(s) URL'),
  }),
  ossCustomDomain: declare<string | undefined>({
    env: 'OSS_CUSTOM_DOMAIN',
    doc: 'STORAGE=oss: domain bound to the bucket (a CDN); public and signed image URLs use it.',
    defaultValue: undefined,
    defaultDoc: '(unset: the bucket domain)',
    ...optionalText('a host name or http(s) URL without a path'),
  }),
  ossPathPrefix: declare<string | undefined>({
    env: 'OSS_PATH_PREFIX',
    doc: 'STORAGE=oss: folder in front of every object key (`<prefix>/<ossPath>/YYYY/MM/DD/<taskId>.<ext>`).',
    defaultValue: undefined,
    defaultDoc: '(none)',
    ...optionalText('a relative folder path'),
  }),
  ossPrivate: declare({
    env: 'OSS_PRIVATE',
    doc: 'STORAGE=oss: the bucket is private: image URLs handed out are signed, cached and renewed before they expire.',
    defaultValue: false,
    ...boolean(),
  }),
  s3Endpoint: declare<string | undefined>({
    env: 'S3_ENDPOINT',
    doc: 'STORAGE=s3: endpoint of an S3-compatible server (MinIO, R2, ...); unset: AWS S3 of S3_REGION.',
    defaultValue: undefined,
    defaultDoc: '(unset: AWS)',
    ...optionalText('an http(s) URL'),
  }),
  s3Region: declare<string | undefined>({
    env: 'S3_REGION',
    doc: 'STORAGE=s3: region of the bucket; required unless S3_ENDPOINT is set.',
    defaultValue: undefined,
    defaultDoc: '(unset: us-east-1 with S3_ENDPOINT)',
    ...optionalText('a region id such as eu-central-1, or auto'),
  }),
  s3Bucket: declare<string | undefined>({
    env: 'S3_BUCKET',
    doc: 'STORAGE=s3: the bucket.',
    defaultValue: undefined,
    defaultDoc: '(unset)',
    ...optionalText('a bucket name'),
  }),
  s3AccessKeyId: declare<string | undefined>({
    env: 'S3_ACCESS_KEY_ID',
    doc: "STORAGE=s3: access key; unset together with S3_SECRET_ACCESS_KEY: the AWS SDK's default credentials (AWS_* variables, profile, instance role).",
    defaultValue: undefined,
    defaultDoc: '(unset)',
    ...optionalText('an access key id'),
  }),
  s3SecretAccessKey: declare<string | undefined>({
    env: 'S3_SECRET_ACCESS_KEY',
    doc: 'STORAGE=s3: the secret of S3_ACCESS_KEY_ID.',
    defaultValue: undefined,
    defaultDoc: '(unset)',
    secret: true,
    ...optionalText('a secret access key'),
  }),
  s3ForcePathStyle: declare({
    env: 'S3_FORCE_PATH_STYLE',
    doc: 'STORAGE=s3: address the bucket as `<endpoint>/<bucket>/<key>`, as MinIO and most S3-compatible servers need.',
    defaultValue: false,
    ...boolean(),
  }),
  s3PathPrefix: declare<string | undefined>({
    env: 'S3_PATH_PREFIX',
    doc: 'STORAGE=s3: folder in front of every object key (`<prefix>/<ossPath>/YYYY/MM/DD/<taskId>.<ext>`).',
    defaultValue: undefined,
    defaultDoc: '(none)',
    ...optionalText('a relative folder path'),
  }),
  s3PublicBaseUrl: declare<string | undefined>({
    env: 'S3_PUBLIC_BASE_URL',
    doc: 'STORAGE=s3: public base of the bucket (CDN or public bucket): image URLs are `<base>/<key>`. Unset: they are presigned, cached and renewed before they expire.',
    defaultValue: undefined,
    defaultDoc: '(unset: signed URLs)',
    ...optionalText('an http(s) URL'),
  }),
  signedUrlTtlSeconds: declare({
    env: 'SIGNED_URL_TTL_SECONDS',
    doc: 'Lifetime of the signed image URLs of a private bucket (S3 accepts at most 7 days).',
    defaultValue: 3600,
    ...integer(60, 604_800),
  }),
  signedUrlRefreshAheadSeconds: declare({
    env: 'SIGNED_URL_REFRESH_AHEAD_SECONDS',
    doc: 'A cached signed URL this close to expiry is renewed in the background while in use; a URL handed out lives at least this long.',
    defaultValue: 300,
    ...integer(1, 86_400),
  }),
  signedUrlRefreshBatch: declare({
    env: 'SIGNED_URL_REFRESH_BATCH',
    doc: 'Signed URLs one refresh pass renews; full passes repeat at once.',
    defaultValue: 100,
    ...integer(1, 10_000),
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
  canaryDir: declare({
    env: 'CANARY_DIR',
    doc: 'Goldens of the readiness canary, `<fingerprint>.png`: the first canary under a new render fingerprint becomes its golden, later ones (at start and on /readyz) are compared with it.',
    defaultValue: './data/canary',
    accepts: 'a folder path',
    parse: (raw: string) => raw.trim(),
  }),
  canaryStrict: declare({
    env: 'CANARY_STRICT',
    doc: 'Not ready (/readyz 503) while the canary drifts from its golden; off: drift is only reported in /readyz and the logs.',
    defaultValue: false,
    ...boolean(),
  }),
};

export type Settings = typeof settings;
export type SettingKey = keyof Settings;
export type Config = {
  readonly [K in SettingKey]: Settings[K] extends { parse(raw: string): infer T } ? T : never;
};
