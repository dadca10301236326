/**
 * Starts the suite's contenders and whatever they share (the HTTP client process, the Redis
 * connection, the logger), and closes all of it, Redis keys included, whatever happened.
 */
import { randomUUID } from 'node:crypto';
import { configWith } from '../config/load-config.js';
import { describeShape, PoolShapeTarget } from '../measure/pool-shape-target.js';
import type { RenderTarget } from '../measure/render-target.js';
import type { RenderFingerprint } from '../renderer/fingerprint.js';
import { FarmAsyncTarget } from './contenders/farm-async.js';
import { FarmHttpTarget } from './contenders/farm-http.js';
import { LimitTarget } from './contenders/limit.js';
import { NaiveLaunchTarget } from './contenders/naive-launch.js';
import { PuppeteerClusterTarget } from './contenders/puppeteer-cluster.js';
import { renamed } from './contenders/renamed-target.js';
import { HttpLoadClient } from './http-load-client.js';
import { discardingLogger, RedisAdmin } from './queue-farms.js';
import type { SuitePlan } from './suite-plan.js';

export interface SuiteEnvironment {
  executablePath: string;
  redisUrl: string;
  /** Shown while each contender starts. */
  onStarting: (what: string) => void;
}

/** `finished` is awaited as long as the farm's production setting says, by every contender. */
export const FINISHED_WAIT_MS = configWith().renderFinishedWaitMs;

export class ContenderSet {
  /** Every Redis key of this run is below it; all are deleted on close. */
  readonly redisPrefix = `bench-suite-${randomUUID().slice(0, 8)}`;
  /** In the order of the tables: the limit first. */
  readonly targets: RenderTarget[] = [];
  private readonly extras: RenderTarget[] = [];
  private client: HttpLoadClient | undefined;
  private redis: RedisAdmin | undefined;
  private closing: Promise<void> | undefined;
  /** The farm's render fingerprint, known once the farm over HTTP started. */
  fingerprint: RenderFingerprint | undefined;

  constructor(
    private readonly plan: SuitePlan,
    private readonly environment: SuiteEnvironment,
  ) {}

  get limit(): RenderTarget {
    return this.byId('limit');
  }

  byId(id: string): RenderTarget {
    const target = this.targets.find((candidate) => candidate.id === id);
    if (!target) throw new Error(`no contender ${id}`);
    return target;
  }

  /** Starts every contender of the main comparison, all at once (a launch mostly waits); close() stops those that started. */
  async start(): Promise<void> {
    const { executablePath, redisUrl, onStarting } = this.environment;
    const { plan } = this;
    onStarting('connecting to Redis');
    this.redis = await RedisAdmin.connect(redisUrl);
    onStarting('starting the HTTP client');
    this.client = await HttpLoadClient.start();
    const context = { redisUrl, logger: discardingLogger() };
    const starts: [string, () => Promise<RenderTarget>][] = [
      ['limit', () => LimitTarget.start({ executablePath, browsers: plan.limitBrowsers, pixelRatios: [1, 2], size: { width: 800, height: 600 }, finishedWaitMs: FINISHED_WAIT_MS })],
      ['farm', async () => renamed(await PoolShapeTarget.start(configWith({ chromiumPath: executablePath }), plan.farmShape), 'farm', `farm in process (pool ${describeShape(plan.farmShape)})`)],
      [
        'farm-http',
        async () => {
          const target = await FarmHttpTarget.start(executablePath, plan.farmShape);
          this.fingerprint = target.fingerprint;
          return target;
        },
      ],
      ...(['memory', 'redis'] as const).map((backend): [string, () => Promise<RenderTarget>] => [
        `farm-async-${backend}`,
        () => FarmAsyncTarget.start({ executablePath, shape: plan.farmShape, backend, context, redis: this.redis!, prefix: `${this.redisPrefix}:${backend}`, client: this.client! }),
      ]),
      ['naive', () => NaiveLaunchTarget.start(executablePath, FINISHED_WAIT_MS)],
      ...(['page', 'browser'] as const).map((mode): [string, () => Promise<RenderTarget>] => [
        `cluster-${mode}`,
        () => PuppeteerClusterTarget.start({ executablePath, mode, maxConcurrency: plan.clusterWorkers, finishedWaitMs: FINISHED_WAIT_MS }),
      ]),
    ];
    onStarting(`starting ${starts.map(([id]) => id).join(', ')}`);
    const started = await Promise.allSettled(starts.map(([, start]) => start()));
    for (const outcome of started) if (outcome.status === 'fulfilled') this.targets.push(outcome.value);
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** A target that lives only for one section (pool shapes, SVG); it is closed with the rest. */
  async startExtra<T extends RenderTarget>(start: () => Promise<T>): Promise<T> {
    const target = await start();
    this.extras.push(target);
    return target;
  }

  /** Closes what one section started, before the next one runs. */
  async closeExtras(): Promise<void> {
    const extras = this.extras.splice(0);
    await Promise.all(extras.map((target) => target.close().catch(() => undefined)));
  }

  /** Safe to call twice, and after a failed start. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.closeExtras();
      // All at once: an interrupted run has only a few seconds before it is killed, and the Redis keys go last.
      await Promise.all(this.targets.map((target) => target.close().catch(() => undefined)));
      this.client?.close();
      if (this.redis) {
        await this.redis.deleteKeys(this.redisPrefix).catch((error: unknown) => console.error(`could not delete the Redis keys below ${this.redisPrefix}: ${(error as Error).message}`));
        await this.redis.close();
      }
    })();
    return this.closing;
  }
}
