/**
 * The embedded queue: records, priorities, retries and events in this process's memory. It keeps
 * nothing across a restart: tasks pending or running when the process stops are gone with it, and
 * so are the records of finished ones (their images stay in storage until retention). Use the Redis
 * backend (REDIS_URL) when tasks must survive a restart or be shared by several processes.
 */
import { EventEmitter } from 'node:events';
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
import { FairDispatch } from '../fair-dispatch.js';
import { TASK_PRIORITIES, isFinal, type TaskPriority, type TaskRecord } from '../task.js';
import {
  backoffDelay,
  cancelledError,
  completedRecord,
  newTaskRecord,
  nowIso,
  queueFullError,
  runAttempt,
  workerInfo,
} from '../task-lifecycle.js';

interface RunningTask {
  consumer: MemoryConsumer;
  /** Aborts the attempt: on cancel, or when a closing consumer gives the task back. */
  controller: AbortController;
  givenBack: boolean;
}

export class MemoryTaskQueue implements TaskQueue {
  readonly backend = 'memory' as const;
  private readonly records = new Map<string, TaskRecord>();
  /** Creation order: task ids, oldest first; the list cursor is a position in it. */
  private readonly sequence = new Map<string, number>();
  private nextSequence = 0;
  private readonly waiting: Record<TaskPriority, string[]> = { high: [], normal: [], low: [] };
  /** Owners take turns within a priority (tasks/fair-dispatch.ts). */
  private readonly fair = new FairDispatch();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private readonly idempotency = new Map<string, string>();
  private readonly resultCache = new Map<string, string>();
  private readonly running = new Map<string, RunningTask>();
  private readonly consumers = new Set<MemoryConsumer>();
  private readonly events = new EventEmitter().setMaxListeners(0);
  private totalProcessed = 0;
  private completedCount = 0;
  private processingMsSum = 0;

  async submit(input: NewTask, options: SubmitOptions): Promise<SubmitResult> {
    const idempotencyKey = input.idempotencyKey === null ? null : `${input.owner}\0${input.idempotencyKey}`;
    const earlier = idempotencyKey === null ? undefined : this.records.get(this.idempotency.get(idempotencyKey) ?? '');
    if (earlier) return { task: earlier, existing: true };
    if (this.pendingCount() >= options.maxPending) throw queueFullError(options.maxPending);
    const task = this.store(newTaskRecord(input));
    if (idempotencyKey !== null) this.idempotency.set(idempotencyKey, task.taskId);
    this.enqueue(task.taskId, 'back');
    return { task, existing: false };
  }

  async submitCompleted(input: NewTask, outcome: TaskOutcome): Promise<TaskRecord> {
    const created = newTaskRecord(input);
    const task = this.store({ ...completedRecord({ ...created, startedAt: created.createdAt }, outcome, Date.parse(created.createdAt)) });
    this.countFinal(task);
    return task;
  }

  async get(taskId: string): Promise<TaskRecord | null> {
    return this.records.get(taskId) ?? null;
  }

  async list(query: TaskListQuery): Promise<TaskPage> {
    const before = query.cursor === undefined ? Infinity : Number.parseInt(query.cursor, 36);
    const matches: TaskRecord[] = [];
    const ids = [...this.records.keys()].reverse();
    for (const id of ids) {
      const task = this.records.get(id)!;
      if (this.sequence.get(id)! >= before) continue;
      if (query.owner !== undefined && task.owner !== query.owner) continue;
      if (query.status !== undefined && task.status !== query.status) continue;
      matches.push(task);
      if (matches.length > query.limit) break;
    }
    const page = matches.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor = matches.length > query.limit && last ? this.sequence.get(last.taskId)!.toString(36) : null;
    return { tasks: page, nextCursor };
  }

  async findCompleted(requestHash: string, fingerprint: string): Promise<TaskRecord | null> {
    const task = this.records.get(this.resultCache.get(`${requestHash}\0${fingerprint}`) ?? '');
    return task?.status === 'completed' ? task : null;
  }

  async cancel(taskId: string): Promise<TaskRecord | null> {
    const task = this.records.get(taskId);
    if (!task || isFinal(task.status)) return task ?? null;
    const running = this.running.get(taskId);
    if (running) {
      running.controller.abort();
      // The consumer records the cancellation when the attempt returns, a moment from now.
      return new Promise((resolve) => {
        const listener = (updated: TaskRecord): void => {
          if (!isFinal(updated.status)) return;
          this.events.off(taskId, listener);
          resolve(updated);
        };
        this.events.on(taskId, listener);
      });
    }
    this.removeFromWaiting(taskId);
    return this.finish({ ...task, status: 'cancelled', completedAt: nowIso(), error: cancelledError(task.retryCount + 1) });
  }

  async requeue(taskId: string): Promise<TaskRecord | null> {
    const task = this.records.get(taskId);
    if (!task || (task.status !== 'failed' && task.status !== 'cancelled')) return task ?? null;
    const requeued = this.update({ ...task, status: 'pending', completedAt: null, error: null, retryCount: 0 });
    this.enqueue(taskId, 'back');
    return requeued;
  }

  async failedTaskIds(): Promise<string[]> {
    return [...this.records.values()].filter((task) => task.status === 'failed').map((task) => task.taskId);
  }

  async counts(): Promise<QueueCounts> {
    const counts = { pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 };
    for (const task of this.records.values()) counts[task.status] += 1;
    return {
      ...counts,
      totalProcessed: this.totalProcessed,
      averageProcessingMs: this.completedCount === 0 ? 0 : this.processingMsSum / this.completedCount,
    };
  }

  async oldestPendingCreatedAt(): Promise<string | null> {
    // Only the waiting lists and retry timers, never every record: pending tasks are all there.
    const pendingIds = [...TASK_PRIORITIES.flatMap((priority) => this.waiting[priority]), ...this.retryTimers.keys()];
    let oldest: string | null = null;
    for (const taskId of pendingIds) {
      const createdAt = this.records.get(taskId)?.createdAt;
      if (createdAt !== undefined && (oldest === null || createdAt < oldest)) oldest = createdAt;
    }
    return oldest;
  }

  async watch(taskId: string, listener: TaskListener): Promise<() => Promise<void>> {
    this.events.on(taskId, listener);
    return async () => {
      this.events.off(taskId, listener);
    };
  }

  consume(handler: TaskHandler, options: ConsumerOptions): TaskConsumer {
    const consumer = new MemoryConsumer(this, handler, options);
    this.consumers.add(consumer);
    this.dispatch();
    return consumer;
  }

  async workers(): Promise<WorkerInfo[]> {
    return [...this.consumers].map((consumer) => consumer.info());
  }

  async expire(cutoff: Date): Promise<TaskRecord[]> {
    const expired = [...this.records.values()].filter((task) => isFinal(task.status) && Date.parse(task.createdAt) < cutoff.getTime());
    for (const task of expired) {
      this.records.delete(task.taskId);
      this.sequence.delete(task.taskId);
      if (task.idempotencyKey !== null) this.idempotency.delete(`${task.owner}\0${task.idempotencyKey}`);
      const cacheKey = `${task.requestHash}\0${task.fingerprint}`;
      if (this.resultCache.get(cacheKey) === task.taskId) this.resultCache.delete(cacheKey);
    }
    return expired;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.close(0)));
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.events.removeAllListeners();
  }

  // ---- used by MemoryConsumer ----

  /** The next task by priority, owners taking turns within one priority. */
  takeNext(): TaskRecord | undefined {
    for (const priority of TASK_PRIORITIES) {
      const index = this.fair.nextIndex(this.waiting[priority]);
      if (index < 0) continue;
      const [taskId] = this.waiting[priority].splice(index, 1) as [string];
      this.fair.taken(taskId, priority);
      return this.records.get(taskId);
    }
    return undefined;
  }

  startRunning(task: TaskRecord, consumer: MemoryConsumer): { record: TaskRecord; running: RunningTask } {
    const running: RunningTask = { consumer, controller: new AbortController(), givenBack: false };
    this.running.set(task.taskId, running);
    const record = this.update({ ...task, status: 'processing', startedAt: nowIso(), workerId: consumer.workerId });
    return { record, running };
  }

  stopRunning(taskId: string): void {
    this.running.delete(taskId);
  }

  runningOf(consumer: MemoryConsumer): RunningTask[] {
    return [...this.running.values()].filter((running) => running.consumer === consumer);
  }

  /** Back to pending: now at the front (given back by a closing consumer), or after a backoff. */
  makePending(task: TaskRecord, delayMs: number): void {
    this.update({ ...task, status: 'pending', workerId: null });
    if (delayMs <= 0) {
      this.enqueue(task.taskId, 'front');
      return;
    }
    const timer = setTimeout(() => {
      this.retryTimers.delete(task.taskId);
      if (this.records.get(task.taskId)?.status === 'pending') this.enqueue(task.taskId, 'back');
    }, delayMs);
    timer.unref();
    this.retryTimers.set(task.taskId, timer);
  }

  finish(task: TaskRecord): TaskRecord {
    const finished = this.update(task);
    this.countFinal(finished);
    return finished;
  }

  dispatch(): void {
    for (const consumer of this.consumers) consumer.fill();
  }

  forget(consumer: MemoryConsumer): void {
    this.consumers.delete(consumer);
  }

  // ---- internals ----

  private store(task: TaskRecord): TaskRecord {
    this.sequence.set(task.taskId, this.nextSequence++);
    return this.update(task);
  }

  private update(task: TaskRecord): TaskRecord {
    const previous = this.records.get(task.taskId);
    this.records.set(task.taskId, task);
    if (previous?.status !== task.status) this.events.emit(task.taskId, task);
    return task;
  }

  private countFinal(task: TaskRecord): void {
    this.totalProcessed += 1;
    if (task.status !== 'completed') return;
    this.completedCount += 1;
    this.processingMsSum += task.durationMs ?? 0;
    this.resultCache.set(`${task.requestHash}\0${task.fingerprint}`, task.taskId);
  }

  private enqueue(taskId: string, end: 'front' | 'back'): void {
    const task = this.records.get(taskId);
    if (!task) return;
    if (end === 'front') this.waiting[task.priority].unshift(taskId);
    else this.waiting[task.priority].push(taskId);
    this.fair.arrive(task, end === 'front');
    this.dispatch();
  }

  private removeFromWaiting(taskId: string): void {
    for (const priority of TASK_PRIORITIES) {
      const index = this.waiting[priority].indexOf(taskId);
      if (index >= 0) this.waiting[priority].splice(index, 1);
    }
    this.fair.forget(taskId);
    const timer = this.retryTimers.get(taskId);
    if (timer) clearTimeout(timer);
    this.retryTimers.delete(taskId);
  }

  private pendingCount(): number {
    let count = this.retryTimers.size;
    for (const priority of TASK_PRIORITIES) count += this.waiting[priority].length;
    return count;
  }
}

/** One worker of the memory queue: up to `concurrency` tasks at once. */
class MemoryConsumer implements TaskConsumer {
  readonly workerId: string;
  private activeCount = 0;
  private processed = 0;
  private failed = 0;
  private closing = false;
  private readonly startedAt = nowIso();
  private readonly idle = new EventEmitter();

  constructor(
    private readonly queue: MemoryTaskQueue,
    private readonly handler: TaskHandler,
    private readonly options: ConsumerOptions,
  ) {
    this.workerId = options.workerId;
  }

  active(): number {
    return this.activeCount;
  }

  info(): WorkerInfo {
    return workerInfo({
      workerId: this.workerId,
      concurrency: this.options.concurrency,
      active: this.activeCount,
      processed: this.processed,
      failed: this.failed,
      startedAt: this.startedAt,
    });
  }

  /** Starts tasks while there is room and work. */
  fill(): void {
    while (!this.closing && this.activeCount < this.options.concurrency) {
      const task = this.queue.takeNext();
      if (!task) return;
      this.activeCount += 1;
      void this.run(task).finally(() => {
        this.activeCount -= 1;
        if (this.activeCount === 0) this.idle.emit('idle');
        this.queue.dispatch();
      });
    }
  }

  private async run(pending: TaskRecord): Promise<void> {
    const { record, running } = this.queue.startRunning(pending, this);
    const attempt = record.retryCount + 1;
    const startedAtMs = Date.parse(record.startedAt!);
    const result = await runAttempt(this.handler, record, attempt, {
      timeoutMs: this.options.taskTimeoutMs,
      cancel: running.controller.signal,
    });
    this.queue.stopRunning(record.taskId);
    if (result.kind === 'cancelled' && running.givenBack) {
      this.queue.makePending(record, 0);
      return;
    }
    let final: TaskRecord;
    if (result.kind === 'completed') {
      final = this.queue.finish(completedRecord(record, result.outcome, startedAtMs));
      this.processed += 1;
    } else if (result.kind === 'cancelled') {
      final = this.queue.finish({ ...record, status: 'cancelled', completedAt: nowIso(), error: cancelledError(attempt) });
    } else {
      const attempts = [...record.attempts, result.error];
      if (result.error.retryable && record.retryCount < this.options.retryAttempts) {
        const retryCount = record.retryCount + 1;
        this.queue.makePending({ ...record, attempts, retryCount }, backoffDelay(retryCount, this.options.backoffMs));
        return;
      }
      final = this.queue.finish({ ...record, status: 'failed', completedAt: nowIso(), error: result.error, attempts });
      this.failed += 1;
    }
    this.options.onFinal?.(final);
  }

  async close(graceMs: number): Promise<void> {
    this.closing = true;
    if (this.activeCount > 0) {
      const idle = new Promise<void>((resolve) => this.idle.once('idle', resolve));
      const graceOver = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([idle, graceOver]);
      for (const running of this.queue.runningOf(this)) {
        running.givenBack = true;
        running.controller.abort();
      }
      if (this.activeCount > 0) await idle;
    }
    this.queue.forget(this);
    this.queue.dispatch();
  }
}
