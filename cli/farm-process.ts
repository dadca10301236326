/**
 * One farm process in any of its roles: `serve` (API and worker), `api` (HTTP only) and `worker`
 * (consumer only). Builds the parts the role needs, and stops them in order on SIGTERM or SIGINT:
 * no new tasks, running tasks finish within SHUTDOWN_GRACE_MS, the rest go back to the queue.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../config/settings.js';
import { ChartRenderer } from '../renderer/chart-renderer.js';
import { createApp } from '../server/create-app.js';
import { FarmMetrics } from '../ops/farm-metrics.js';
import { createProbeApp } from '../server/probe-app.js';
import { RequestDrain } from '../server/request-drain.js';
import { configuredReadinessProbe } from '../ops/readiness-probe.js';
import { ThroughputHistory } from '../ops/throughput-history.js';
import { RetentionSweeper } from '../tasks/retention.js';
import type { TaskRecord } from '../tasks/task.js';
import { namedTaskSteps, type TaskStepObserver } from '../tasks/task-steps.js';
import { logSteps, warnIfCapped } from '../renderer/step-log.js';
import { CallbackAllowList } from '../tasks/callback-address.js';
import { WebhookSender } from '../tasks/webhook-sender.js';
import { createLogger } from './create-logger.js';
import { rendererOptions } from '../farm/renderer-options.js';
import { checkObjectStore, consumerOptions, createImageUrlService, createObjectStore, createRateLimiter, createTaskQueue, taskHandler } from '../farm/task-system.js';

export type FarmRole = 'serve' | 'api' | 'worker';

/** A role started without what it needs (exit 78, like a bad setting). */
export class RoleError extends Error {
  override name = 'RoleError';
}

export async function runFarmProcess(config: Config, role: FarmRole): Promise<void> {
  if (role !== 'serve' && !config.redisUrl) {
    throw new RoleError(`echarts-farm ${role} shares its tasks through Redis: set REDIS_URL (or run echarts-farm serve)`);
  }
  const logger = createLogger(config).child({ role });
  // What start-up has opened so far, closed in reverse when a later step fails: a failed start-up
  // must end the process, and a launched Chromium would keep it alive.
  const opened: (() => Promise<unknown> | unknown)[] = [];
  try {
    await startRole(config, role, logger, opened);
  } catch (error) {
    logger.error({ err: error }, 'start-up failed: closing what was opened');
    for (const close of opened.reverse()) await Promise.resolve().then(close).catch(() => undefined);
    logger.flush();
    // A handle nobody owns (a socket mid-connect) must not keep a failed process alive.
    setTimeout(() => process.exit(process.exitCode || 1), STARTUP_FAILURE_EXIT_MS).unref();
    throw error;
  }
}

/** How long a failed start-up may take to end on its own before the process exits anyway. */
const STARTUP_FAILURE_EXIT_MS = 5_000;

async function startRole(config: Config, role: FarmRole, logger: Logger, opened: (() => Promise<unknown> | unknown)[]): Promise<void> {
  // The queue first (main checked that Redis answers before loading this module), then Chromium.
  const queue = await createTaskQueue(config, logger.child({ room: 'tasks' }));
  opened.push(() => queue.close());
  // Storage next: a wrong bucket or key stops startup before Chromium is launched.
  const store = await createObjectStore(config);
  opened.push(() => store.close?.());
  await checkObjectStore(config, store);
  logger.info({ storage: store.describe(), checked: config.storageCheckOnStart }, `object store: ${config.storage}`);
  const renderer = role === 'api' ? undefined : await ChartRenderer.start(rendererOptions(config, logger.child({ room: 'renderer' })));
  if (renderer) opened.push(() => renderer.close());
  const metrics = new FarmMetrics({ renderer, queue, maxPending: config.queueMaxPending });
  // Every render, synchronous or of a task, is counted and its steps timed.
  renderer?.observeRenders(metrics.renderObserver);
  // The canary at start, before any task: drift from this fingerprint's golden is in the log at once.
  const readiness = renderer ? configuredReadinessProbe(renderer, config, logger.child({ room: 'canary' })) : undefined;
  await readiness?.check().catch((error: unknown) => logger.warn({ reason: (error as Error).message }, 'not ready at start'));
  const taskLogger = logger.child({ room: 'worker' });
  const webhooks = new WebhookSender({
    logger: logger.child({ room: 'webhooks' }),
    secret: config.webhookSecret ?? null,
    allowList: new CallbackAllowList(config.webhookAllowHosts),
    ownerSecret: (owner) => config.apiKeysFile.find((entry) => entry.owner === owner)?.webhookSecret,
  });
  opened.push(() => webhooks.close());
  const onFinal = (task: TaskRecord): void => {
    metrics.observeTaskEnd(task);
    taskLogger.info({ taskId: task.taskId, status: task.status, durationMs: task.durationMs, reason: task.error?.reason }, 'task ended');
    if (task.callbackUrl) void webhooks.notify(task);
  };
  const onSteps: TaskStepObserver = (task, steps) => {
    metrics.observeTaskSteps(steps);
    const logger = taskLogger.child({ taskId: task.taskId });
    logSteps(logger, namedTaskSteps(steps));
    warnIfCapped(logger, steps.settledBy);
  };
  // Every role but `api` renders, so every role with a renderer takes tasks.
  const consumer = renderer ? queue.consume(taskHandler(config, renderer, store, queue, onSteps), consumerOptions(config, onFinal)) : undefined;
  // Tasks it took before a later step failed go back to the queue at once.
  opened.push(() => consumer?.close(0));
  // Sweeps are idempotent: with several API instances each may sweep, none depends on another.
  const retention =
    role === 'worker'
      ? undefined
      : new RetentionSweeper({
          queue,
          store,
          retentionDays: config.taskRetentionDays,
          intervalHours: config.cleanupIntervalHours,
          logger: logger.child({ room: 'retention' }),
        });
  retention?.start();
  opened.push(() => retention?.stop());

  // Only roles with HTTP hand out image URLs, so only they cache and renew signed ones.
  const imageUrls = role === 'worker' ? undefined : createImageUrlService(config, store, logger.child({ room: 'storage' }));
  imageUrls?.refresher?.start();
  opened.push(() => imageUrls?.close());

  let accepting = true;
  // While stopping, the listener stays open: work in flight ends, new work is answered 503.
  const drain = new RequestDrain();
  let server: Server | undefined;
  // Sampled from process start, so the dashboard shows the last minutes when it is first opened.
  const throughput = role === 'worker' ? undefined : new ThroughputHistory(queue);
  opened.push(() => throughput?.stop());
  await throughput?.start();
  const rateLimits = role === 'worker' ? undefined : await createRateLimiter(config);
  if (role !== 'worker') {
    const app = createApp({ renderer, readiness, config, logger, store, metrics, throughput, drain, rateLimiter: rateLimits?.limiter, imageLinks: imageUrls?.links, tasks: { queue, accepting: () => accepting, onCancelled: onFinal } });
    server = app.listen(config.port, config.host);
    opened.push(() => server?.close());
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ port, host: config.host, queue: queue.backend, fingerprint: renderer?.fingerprint.hash }, `echarts-farm ${role} listening on http://${config.host}:${port}`);
  } else {
    // Probes and Prometheus reach a worker only through this listener (WORKER_HTTP_PORT).
    if (config.workerHttpPort !== undefined && readiness) {
      server = createProbeApp({ readiness, queue, metrics, logger }).listen(config.workerHttpPort, config.host);
      await once(server, 'listening');
    }
    const address = server?.address();
    const port = typeof address === 'object' && address ? address.port : undefined;
    logger.info({ workerId: consumer?.workerId, fingerprint: renderer?.fingerprint.hash, port }, 'echarts-farm worker taking tasks');
  }

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    accepting = false;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down: no new tasks, finishing what runs');
    const forced = setTimeout(() => {
      logger.error({}, 'shutdown took too long: exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 15_000).unref();
    drain.begin();
    // Tasks still running after the grace go back to the queue as pending; synchronous renders
    // already accepted (rendering or waiting for a page) finish within the same grace.
    await Promise.all([consumer?.close(config.shutdownGraceMs), drain.settled(config.shutdownGraceMs)]);
    if (server) {
      server.close();
      server.closeIdleConnections();
      // Answers in flight (event streams ending on the last status) get a moment to drain.
      const closed = once(server, 'close');
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      server.closeAllConnections();
    }
    await retention?.stop();
    throughput?.stop();
    await imageUrls?.close();
    await webhooks.close();
    await rateLimits?.close();
    await queue.close();
    await store.close?.();
    await renderer?.close();
    clearTimeout(forced);
    logger.info({}, 'stopped');
    logger.flush();
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}
