/**
 * The Redis backend of TaskQueue (chosen when REDIS_URL is set): records, indexes, idempotency and
 * the result cache in plain Redis keys, dispatch to workers through BullMQ, status events and
 * cancel requests over pub/sub, heartbeats in a hash. Every key is below `prefix`, so several farms
 * or test runs share one Redis. Any number of processes on any number of hosts may submit and
 * consume; a task survives the restart or the death of any of them.
 */
import { Redis } from 'ioredis';
import { completedRecord, newTaskRecord } from '../task-lifecycle.js';
import type {
  ConsumerOptions,
  NewTask,
  QueueCounts,
  SubmitOptions,
  SubmitResult,
  TaskConsumer,
  TaskHandler,
  TaskListQuery,
  TaskListener,
  TaskOutcome,
  TaskPage,
  TaskQueue,
  WorkerInfo,
} from '../task-queue.js';
import { isFinal, type TaskRecord } from '../task.js';
import { cancelledRecord, requeuedRecord } from './record-changes.js';
import { answeringOutages, REDIS_CLIENT_OPTIONS } from './queue-unavailable.js';
import { RedisDispatch } from './redis-dispatch.js';
import { RedisKeys } from './redis-keys.js';
import { silentRedisQueueLogger, type RedisQueueLogger } from './redis-queue-logger.js';
import { RedisRecordStore } from './redis-record-store.js';
import { RedisTaskConsumer, type ConsumerTimings } from './redis-task-consumer.js';
import { RedisTaskEvents } from './redis-task-events.js';
import { RedisTaskIndex } from './redis-task-index.js';
import { RedisWorkerRegistry } from './redis-worker-registry.js';

/** Options of the Redis backend. */
export interface RedisTaskQueueOptions {
  /** `redis://[user:password@]host:port[/db]` (REDIS_URL). */
  url: string;
  /** Every key, BullMQ's included, starts with `${prefix}:` (QUEUE_PREFIX). */
  prefix: string;
  logger?: RedisQueueLogger;
  /**
   * How long a worker's hold on a task lasts without renewal (renewed at half of it). A worker
   * killed mid-task gives the task up this long after its last renewal.
   * @defaultValue 30000
   */
  lockDurationMs?: number;
  /**
   * How often workers look for tasks whose holder died; a task is handed to another worker
   * within lockDurationMs + 2 × stalledIntervalMs of its holder's death.
   * @defaultValue 30000
   */
  stalledIntervalMs?: number;
  /**
   * How many times a task may lose its worker and be handed to another before it fails (a chart
   * that kills every worker that draws it must not kill them all).
   * @defaultValue 1
   */
  maxStalledCount?: number;
  /**
   * How long an idle worker waits for a job before it looks again. New and recovered jobs wake it
   * at once, but BullMQ does not wake idle workers for a prioritized job given back by a closing
   * worker: they find it at their next look.
   * @defaultValue 1000
   */
  idlePollMs?: number;
  /**
   * How often a consumer writes its heartbeat.
   * @defaultValue 5000
   */
  heartbeatMs?: number;
  /**
   * `workers()` lists workers whose last heartbeat is at most this old.
   * @defaultValue 30000
   */
  workerLivenessMs?: number;
  /**
   * How long `cancel` waits for the worker holding a running task to abort it before recording the
   * cancellation itself (the worker may have died).
   * @defaultValue 5000
   */
  cancelWaitMs?: number;
}

type Settings = Required<Omit<RedisTaskQueueOptions, 'logger'>> & { logger: RedisQueueLogger };

const DEFAULTS = {
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 1,
  idlePollMs: 1_000,
  heartbeatMs: 5_000,
  workerLivenessMs: 30_000,
  cancelWaitMs: 5_000,
} as const;

/** How often `cancel` looks again while a worker is taking or giving back the task. */
const CANCEL_POLL_MS = 100;

/** Tasks read per round by `expire`. */
const EXPIRE_BATCH = 500;

function sleep(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms));
}

function settingsFrom(options: RedisTaskQueueOptions): Settings {
  if (options.prefix.length === 0 || /\s/.test(options.prefix)) {
    throw new Error(`the Redis queue prefix must be a non-empty word without spaces, not ${JSON.stringify(options.prefix)}`);
  }
  const settings: Settings = { ...DEFAULTS, ...options, logger: options.logger ?? silentRedisQueueLogger };
  for (const name of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = settings[name];
    const least = name === 'maxStalledCount' ? 0 : 1;
    if (!Number.isInteger(value) || value < least) throw new Error(`the Redis queue option ${name} must be a whole number ≥ ${least}, not ${value}`);
  }
  return settings;
}

/**
 * Connects to Redis and returns the queue; fails when Redis cannot be reached.
 */
export async function createRedisTaskQueue(options: RedisTaskQueueOptions): Promise<TaskQueue> {
  const settings = settingsFrom(options);
  const client = new Redis(settings.url, REDIS_CLIENT_OPTIONS);
  client.on('error', (error) => settings.logger.warn({ err: error }, 'Redis connection error'));
  try {
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  const queue = new RedisTaskQueue(client, settings);
  await queue.ready();
  return answeringOutages(queue);
}

/** The Redis TaskQueue; made by `createRedisTaskQueue`. */
export class RedisTaskQueue implements TaskQueue {
  readonly backend = 'redis' as const;
  private readonly keys: RedisKeys;
  private readonly records: RedisRecordStore;
  private readonly index: RedisTaskIndex;
  private readonly dispatch: RedisDispatch;
  private readonly events: RedisTaskEvents;
  private readonly registry: RedisWorkerRegistry;
  private readonly consumers = new Set<RedisTaskConsumer>();

  constructor(
    private readonly client: Redis,
    private readonly settings: Settings,
  ) {
    this.keys = new RedisKeys(settings.prefix);
    this.records = new RedisRecordStore(client, this.keys);
    this.index = new RedisTaskIndex(client, this.keys, this.records);
    this.dispatch = new RedisDispatch(client, settings.prefix, settings.logger);
    this.events = new RedisTaskEvents(client, this.keys, settings.logger);
    this.registry = new RedisWorkerRegistry(client, this.keys, settings.workerLivenessMs);
  }

  async submit(input: NewTask, options: SubmitOptions): Promise<SubmitResult> {
    if (input.idempotencyKey !== null) {
      const earlier = await this.index.idempotent(input.owner, input.idempotencyKey);
      if (earlier) return { task: earlier, existing: true };
    }
    // The insert claims the idempotency key and checks QUEUE_MAX_PENDING atomically: of racing
    // submissions one stores, and none stores past the limit.
    const { record, existing } = await this.records.insert(newTaskRecord(input), { idempotent: true, maxPending: options.maxPending });
    if (existing) return { task: record, existing };
    try {
      await this.dispatch.enqueue(record.taskId, 0, record.priority, record.owner);
    } catch (error) {
      const stored = await this.records.read(record.taskId).catch(() => null);
      if (stored) await this.records.delete(stored).catch(() => false);
      throw error;
    }
    return { task: record, existing: false };
  }

  async submitCompleted(input: NewTask, outcome: TaskOutcome): Promise<TaskRecord> {
    const created = newTaskRecord(input);
    const record = completedRecord({ ...created, startedAt: created.createdAt }, outcome, Date.parse(created.createdAt));
    return (await this.records.insert(record, { idempotent: false })).record;
  }

  /**
   * Waits for BullMQ's queue to be set up. A job added before that was seen to land in the delayed
   * set, where no worker took it.
   */
  async ready(): Promise<void> {
    await this.dispatch.ready();
  }

  get(taskId: string): Promise<TaskRecord | null> {
    return this.records.get(taskId);
  }

  list(query: TaskListQuery): Promise<TaskPage> {
    return this.index.list(query);
  }

  findCompleted(requestHash: string, fingerprint: string): Promise<TaskRecord | null> {
    return this.index.findCompleted(requestHash, fingerprint);
  }

  /**
   * A waiting task is taken out of BullMQ and cancelled here. A task a worker holds (on any host)
   * is cancelled by that worker: it hears the request on the cancel channel, aborts its attempt
   * and records the cancellation, which this call waits for. When no worker answers within
   * cancelWaitMs (its process died), the cancellation is recorded here; the holder's late writes
   * are fenced off by its holder token.
   */
  async cancel(taskId: string): Promise<TaskRecord | null> {
    const first = await this.records.read(taskId);
    if (!first || isFinal(first.record.status)) return first?.record ?? null;
    let reachedFinal!: (task: TaskRecord) => void;
    const final = new Promise<TaskRecord>((resolve) => (reachedFinal = resolve));
    const unwatch = await this.events.watch(taskId, (task) => {
      if (isFinal(task.status)) reachedFinal(task);
    });
    try {
      const deadline = Date.now() + this.settings.cancelWaitMs;
      let requestedRun: number | null = null;
      for (;;) {
        const current = await this.records.read(taskId);
        if (!current) return null;
        if (isFinal(current.record.status)) return current.record;
        const { run } = current;
        if (current.record.status === 'pending' && (await this.dispatch.remove(taskId, run))) {
          const cancelled = await this.records.transition(taskId, (latest) =>
            latest.run === run && latest.record.status === 'pending' ? { record: cancelledRecord(latest.record), holder: '' } : null,
          );
          if (cancelled) return cancelled;
          continue;
        }
        if (requestedRun !== run) {
          await this.events.requestCancel({ taskId, run });
          requestedRun = run;
        }
        if (Date.now() >= deadline) break;
        const settled = await Promise.race([final, sleep(CANCEL_POLL_MS)]);
        if (settled) return settled;
      }
      const forced = await this.records.transition(taskId, (latest) =>
        isFinal(latest.record.status) ? null : { record: cancelledRecord(latest.record), holder: '' },
      );
      return forced ?? (await this.records.get(taskId));
    } finally {
      await unwatch();
    }
  }

  async requeue(taskId: string): Promise<TaskRecord | null> {
    let run = 0;
    const requeued = await this.records.transition(taskId, (current) => {
      if (current.record.status !== 'failed' && current.record.status !== 'cancelled') return null;
      run = current.run + 1;
      return { record: requeuedRecord(current.record), run, holder: '' };
    });
    if (!requeued) return this.records.get(taskId);
    await this.events.clearCancelRequest(taskId);
    await this.dispatch.enqueue(taskId, run, requeued.priority, requeued.owner);
    return requeued;
  }

  failedTaskIds(): Promise<string[]> {
    return this.index.failedTaskIds();
  }

  counts(): Promise<QueueCounts> {
    return this.index.counts();
  }

  oldestPendingCreatedAt(): Promise<string | null> {
    return this.index.oldestPendingCreatedAt();
  }

  watch(taskId: string, listener: TaskListener): Promise<() => Promise<void>> {
    return this.events.watch(taskId, listener);
  }

  consume(handler: TaskHandler, options: ConsumerOptions): TaskConsumer {
    const timings: ConsumerTimings = {
      lockDurationMs: this.settings.lockDurationMs,
      stalledIntervalMs: this.settings.stalledIntervalMs,
      maxStalledCount: this.settings.maxStalledCount,
      idlePollMs: this.settings.idlePollMs,
      heartbeatMs: this.settings.heartbeatMs,
    };
    const consumer = new RedisTaskConsumer(handler, options, {
      url: this.settings.url,
      prefix: this.settings.prefix,
      records: this.records,
      events: this.events,
      registry: this.registry,
      timings,
      logger: this.settings.logger,
      onClosed: (closed) => this.consumers.delete(closed),
    });
    this.consumers.add(consumer);
    return consumer;
  }

  workers(): Promise<WorkerInfo[]> {
    return this.registry.live();
  }

  /** Deletes final tasks created before `cutoff`, oldest first, with every key that points at them. */
  async expire(cutoff: Date): Promise<TaskRecord[]> {
    const expired: TaskRecord[] = [];
    // Ids that stay in the index (tasks not final yet) are skipped by the offset.
    let kept = 0;
    for (;;) {
      const taskIds = await this.index.createdBefore(cutoff, kept, EXPIRE_BATCH);
      if (taskIds.length === 0) return expired;
      for (const taskId of taskIds) {
        const stored = await this.records.read(taskId);
        const expires = stored !== null && isFinal(stored.record.status) && Date.parse(stored.record.createdAt) < cutoff.getTime();
        if (expires && (await this.records.delete(stored))) expired.push(stored.record);
        else kept += 1;
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.close(0)));
    await this.dispatch.close();
    await this.events.close();
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
