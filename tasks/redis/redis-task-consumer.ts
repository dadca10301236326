/**
 * One worker of the Redis backend: a BullMQ Worker whose jobs point at task records. BullMQ gives
 * each job to one worker at a time and, when a worker dies (its job lock expires), hands the job to
 * another one (stalled-job recovery). The record is fenced by a holder token per attempt, so only
 * the attempt that holds the task writes its outcome, and a task ends completed exactly once.
 */
import { randomUUID } from 'node:crypto';
import { DelayedError, WaitingError, Worker, type Job } from 'bullmq';
import { backoffDelay, nowIso, runAttempt, workerInfo } from '../task-lifecycle.js';
import type { ConsumerOptions, TaskConsumer, TaskHandler, WorkerInfo } from '../task-queue.js';
import { isFinal, type AttemptError, type TaskRecord } from '../task.js';
import {
  cancelledRecord,
  completedByWorker,
  failedRecord,
  givenBackRecord,
  processingRecord,
  retryRecord,
} from './record-changes.js';
import { untilRedisAnswers } from './queue-unavailable.js';
import { dispatchJobId, type DispatchJobData } from './redis-dispatch.js';
import { DISPATCH_QUEUE_NAME } from './redis-keys.js';
import type { RedisQueueLogger } from './redis-queue-logger.js';
import type { RedisRecordStore, StoredTask } from './redis-record-store.js';
import type { RedisTaskEvents } from './redis-task-events.js';
import type { RedisWorkerRegistry } from './redis-worker-registry.js';

/** Timings of stalled-job recovery and heartbeats (see RedisTaskQueueOptions). */
export interface ConsumerTimings {
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  idlePollMs: number;
  heartbeatMs: number;
}

/** What a consumer shares with its queue. */
export interface ConsumerDeps {
  url: string;
  prefix: string;
  records: RedisRecordStore;
  events: RedisTaskEvents;
  registry: RedisWorkerRegistry;
  timings: ConsumerTimings;
  logger: RedisQueueLogger;
  /** Called once the consumer has stopped. */
  onClosed: (consumer: RedisTaskConsumer) => void;
}

/**
 * Why an attempt's signal was aborted: a cancel request, or the task goes back to the queue
 * (the consumer closes past its grace, or it could not renew its BullMQ lock).
 */
type StopReason = 'cancel' | 'give-back';

interface RunningJob {
  controller: AbortController;
  reason: StopReason | null;
  taskId: string;
  run: number;
}

/** How often running tasks' cancel flags are read, in case a pub/sub request was lost. */
const CANCEL_FLAG_POLL_MS = 1_000;

/** A consumer made by `RedisTaskQueue.consume`: runs tasks from BullMQ with `concurrency` at once. */
export class RedisTaskConsumer implements TaskConsumer {
  readonly workerId: string;
  private readonly worker: Worker<DispatchJobData>;
  /** Jobs this consumer holds, by BullMQ job id. */
  private readonly running = new Map<string, RunningJob>();
  private jobsInHand = 0;
  private processed = 0;
  private failed = 0;
  private closing = false;
  private closed: Promise<void> | null = null;
  private readonly startedAt = nowIso();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly cancelFlagPoll: NodeJS.Timeout;
  /** Resolves once cancel requests reach this consumer; no task starts before. */
  private readonly cancelSubscription: Promise<() => Promise<void>>;

  constructor(
    private readonly handler: TaskHandler,
    private readonly options: ConsumerOptions,
    private readonly deps: ConsumerDeps,
  ) {
    this.workerId = options.workerId;
    const { timings, logger } = deps;
    this.cancelSubscription = deps.events.onCancelRequest(({ taskId, run }) => this.stop(dispatchJobId(taskId, run), 'cancel'));
    this.cancelSubscription.catch((error: unknown) => logger.error({ err: error }, 'cannot subscribe to cancel requests'));
    this.worker = new Worker<DispatchJobData>(DISPATCH_QUEUE_NAME, (job, token) => this.process(job, token), {
      // The worker's own connections (one of them blocks waiting for jobs).
      // Reconnects at most a second apart: BullMQ's own backoff grows to 20 s, which after an
      // outage kept workers idle (and their close waiting) long after Redis was back.
      connection: { url: deps.url, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(times * 100, 1_000) },
      prefix: deps.prefix,
      name: options.workerId,
      concurrency: options.concurrency,
      lockDuration: timings.lockDurationMs,
      stalledInterval: timings.stalledIntervalMs,
      maxStalledCount: timings.maxStalledCount,
      drainDelay: timings.idlePollMs / 1000,
    });
    this.worker.on('error', (error) => logger.warn({ err: error, workerId: this.workerId }, 'BullMQ worker error'));
    this.worker.on('failed', (job, error) => void this.onJobFailed(job, error));
    // Another worker may take a job whose lock this one could not renew: give it back (when another
    // worker took it already, its holder token makes the give-back a no-op).
    this.worker.on('lockRenewalFailed', (jobIds) => jobIds.forEach((jobId) => this.stop(jobId, 'give-back')));
    void this.beat();
    this.heartbeat = setInterval(() => void this.beat(), timings.heartbeatMs).unref();
    this.cancelFlagPoll = setInterval(() => void this.readCancelFlags(), CANCEL_FLAG_POLL_MS).unref();
  }

  /**
   * Redis pub/sub delivers at most once (a request published while the subscriber reconnects is
   * gone), so the cancel flag that `cancel` sets beside its request is read too.
   */
  private async readCancelFlags(): Promise<void> {
    for (const [jobId, running] of this.running) {
      if (running.reason !== null) continue;
      const requested = await this.deps.events.isCancelRequested({ taskId: running.taskId, run: running.run }).catch(() => false);
      if (requested) this.stop(jobId, 'cancel');
    }
  }

  active(): number {
    return this.jobsInHand;
  }

  info(): WorkerInfo {
    return workerInfo({
      workerId: this.workerId,
      concurrency: this.options.concurrency,
      active: this.jobsInHand,
      processed: this.processed,
      failed: this.failed,
      startedAt: this.startedAt,
    });
  }

  close(graceMs: number): Promise<void> {
    this.closed ??= this.shutdown(graceMs);
    return this.closed;
  }

  private async shutdown(graceMs: number): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    clearInterval(this.cancelFlagPoll);
    // BullMQ's close takes no new job and resolves when every job in hand has returned.
    const workerClosed = this.worker.close();
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace over'>((resolve) => (graceTimer = setTimeout(() => resolve('grace over'), graceMs)));
    if ((await Promise.race([workerClosed, graceOver])) === 'grace over') {
      for (const jobId of this.running.keys()) this.stop(jobId, 'give-back');
      await workerClosed;
    }
    clearTimeout(graceTimer);
    await this.cancelSubscription.then((unsubscribe) => unsubscribe()).catch(() => undefined);
    await this.deps.registry.remove(this.workerId).catch(() => undefined);
    this.deps.onClosed(this);
  }

  private stop(jobId: string, reason: StopReason): void {
    const job = this.running.get(jobId);
    if (!job || job.reason !== null) return;
    job.reason = reason;
    job.controller.abort(new Error(reason));
  }

  private async beat(): Promise<void> {
    try {
      await this.deps.registry.beat(this.info());
    } catch (error) {
      this.deps.logger.warn({ err: error, workerId: this.workerId }, 'heartbeat not written');
    }
  }

  /** BullMQ's processor. Returning completes the job; DelayedError and WaitingError hand it back. */
  private async process(job: Job<DispatchJobData>, token: string | undefined): Promise<void> {
    this.jobsInHand += 1;
    const jobId = job.id ?? dispatchJobId(job.data.taskId, job.data.run);
    try {
      await this.cancelSubscription;
      if (this.closing) {
        await job.moveToWait(token);
        throw new WaitingError();
      }
      const running: RunningJob = { controller: new AbortController(), reason: null, taskId: job.data.taskId, run: job.data.run };
      // Registered before the start, so a cancel request published from here on reaches it.
      this.running.set(jobId, running);
      try {
        await this.run(job, token, running);
      } finally {
        this.running.delete(jobId);
      }
    } finally {
      this.jobsInHand -= 1;
    }
  }

  private async run(job: Job<DispatchJobData>, token: string | undefined, running: RunningJob): Promise<void> {
    const { taskId, run } = job.data;
    const { records } = this.deps;
    const cancelRequested = await this.deps.events.isCancelRequested({ taskId, run });
    const holder = randomUUID();
    // A job of an older run, or of a task already final, is dropped. A task still 'processing'
    // is taken over: BullMQ only hands it out again after its previous holder lost the lock.
    const started = await records.transition(taskId, (current) => {
      if (current.run !== run || isFinal(current.record.status)) return null;
      if (cancelRequested) return { record: cancelledRecord(current.record), holder: '' };
      return { record: processingRecord(current.record, this.workerId), holder };
    });
    if (!started) return;
    if (started.status === 'cancelled') return this.reachedFinal(started);

    const attempt = started.retryCount + 1;
    const result = await runAttempt(this.handler, started, attempt, {
      timeoutMs: this.options.taskTimeoutMs,
      cancel: running.controller.signal,
    });
    /**
     * Writes only while this attempt still holds the task. While Redis is away the write waits for
     * it (up to the task timeout), so work already done is recorded rather than done again.
     */
    const settle = (change: (task: TaskRecord) => TaskRecord): Promise<TaskRecord | null> =>
      untilRedisAnswers(
        () =>
          records.transition(taskId, (current: StoredTask) =>
            current.holder === holder && current.run === run && current.record.status === 'processing'
              ? { record: change(current.record), holder: '' }
              : null,
          ),
        this.options.taskTimeoutMs,
        () => this.deps.logger.warn({ taskId, workerId: this.workerId }, 'Redis does not answer: the outcome waits to be recorded'),
      );

    if (result.kind === 'completed') {
      const completed = await settle((task) => completedByWorker(task, result.outcome));
      if (completed) this.processed += 1;
      return this.reachedFinal(completed);
    }
    if (result.kind === 'cancelled') {
      if (running.reason === 'give-back') {
        if (await settle(givenBackRecord)) {
          await job.moveToWait(token);
          throw new WaitingError();
        }
        return;
      }
      return this.reachedFinal(await settle(cancelledRecord));
    }
    if (result.error.retryable && started.retryCount < this.options.retryAttempts) {
      const waiting = await settle((task) => retryRecord(task, result.error));
      if (waiting) {
        await job.moveToDelayed(Date.now() + backoffDelay(waiting.retryCount, this.options.backoffMs), token);
        throw new DelayedError();
      }
      return;
    }
    const failed = await settle((task) => failedRecord(task, result.error));
    if (failed) this.failed += 1;
    return this.reachedFinal(failed);
  }

  /**
   * A job BullMQ failed without our processor deciding: a task that stalled its workers more often
   * than maxStalledCount, or a processor that could not reach Redis on every BullMQ attempt.
   * The task fails with an error that says so, instead of staying 'processing' forever.
   */
  private async onJobFailed(job: Job<DispatchJobData> | undefined, error: Error): Promise<void> {
    if (!job || (error.name !== 'UnrecoverableError' && job.attemptsMade < (job.opts.attempts ?? 1))) return;
    const { taskId, run } = job.data;
    try {
      const failed = await this.deps.records.transition(taskId, (current) => {
        if (current.run !== run || isFinal(current.record.status)) return null;
        const reason: AttemptError = {
          attempt: current.record.retryCount + 1,
          type: 'SYSTEM_ERROR',
          reason: error.name === 'UnrecoverableError' ? 'WORKER_LOST' : 'INTERNAL',
          message: error.name === 'UnrecoverableError' ? `the task stopped its worker too often (${error.message})` : 'the worker could not record the task',
          retryable: false,
          at: nowIso(),
        };
        return { record: failedRecord(current.record, reason), holder: '' };
      });
      if (failed) this.failed += 1;
      this.reachedFinal(failed);
    } catch (writeError) {
      this.deps.logger.error({ err: writeError, taskId }, 'cannot record a task BullMQ failed');
    }
  }

  private reachedFinal(task: TaskRecord | null): void {
    if (!task) return;
    try {
      this.options.onFinal?.(task);
    } catch (error) {
      this.deps.logger.warn({ err: error, taskId: task.taskId }, 'onFinal threw');
    }
  }
}
