/**
 * Redis pub/sub for the two things that must reach every host: status changes of a task (published
 * by the record store's transition script, so in the order they happened) and cancel requests for
 * running tasks (heard by every consumer; the one holding the task aborts it). One subscriber
 * connection per queue instance carries both.
 */
import type { Redis } from 'ioredis';
import type { TaskListener } from '../task-queue.js';
import type { TaskRecord } from '../task.js';
import type { RedisKeys } from './redis-keys.js';
import type { RedisQueueLogger } from './redis-queue-logger.js';

/** A request to stop run `run` of a task. */
export interface CancelRequest {
  taskId: string;
  run: number;
}

/** Hears cancel requests (every consumer subscribes; the holder acts). */
export type CancelListener = (request: CancelRequest) => void;

/**
 * How long a cancel request waits for a consumer that takes the task late (fetched it but had not
 * started it when the request was published). Far longer than any such gap; it only bounds garbage.
 */
const CANCEL_REQUEST_TTL_SECONDS = 24 * 60 * 60;

/** Status events and cancel requests over one subscriber connection. */
export class RedisTaskEvents {
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<(message: string) => void>>();
  /** Channel → its SUBSCRIBE, awaited by every listener added while it is in flight. */
  private readonly subscriptions = new Map<string, Promise<unknown>>();

  constructor(
    private readonly client: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: RedisQueueLogger,
  ) {
    this.subscriber = client.duplicate();
    this.subscriber.on('error', (error) => logger.warn({ err: error }, 'Redis subscriber connection error'));
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const listener of this.listeners.get(channel) ?? []) listener(message);
    });
  }

  /** Calls `listener` with the record after each status change of the task, on any host. */
  watch(taskId: string, listener: TaskListener): Promise<() => Promise<void>> {
    return this.listen(this.keys.taskEvents(taskId), (message) => {
      listener(JSON.parse(message) as TaskRecord);
    });
  }

  /** Calls `listener` for every cancel request of this farm. */
  onCancelRequest(listener: CancelListener): Promise<() => Promise<void>> {
    return this.listen(this.keys.cancelChannel(), (message) => {
      listener(JSON.parse(message) as CancelRequest);
    });
  }

  /**
   * Asks whichever consumer holds run `run` of the task to stop it: published for a consumer
   * running it now, and kept for one that fetched the task but has not started it yet.
   */
  async requestCancel(request: CancelRequest): Promise<void> {
    await this.client
      .multi()
      .set(this.keys.cancelRequest(request.taskId), String(request.run), 'EX', CANCEL_REQUEST_TTL_SECONDS)
      .publish(this.keys.cancelChannel(), JSON.stringify(request))
      .exec();
  }

  async isCancelRequested(request: CancelRequest): Promise<boolean> {
    return (await this.client.get(this.keys.cancelRequest(request.taskId))) === String(request.run);
  }

  async clearCancelRequest(taskId: string): Promise<void> {
    await this.client.del(this.keys.cancelRequest(taskId));
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriptions.clear();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  private async listen(channel: string, handle: (message: string) => void): Promise<() => Promise<void>> {
    const safe = (message: string): void => {
      try {
        handle(message);
      } catch (error) {
        this.logger.warn({ err: error, channel }, 'a task event listener threw');
      }
    };
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.subscriptions.set(channel, this.subscriber.subscribe(channel));
    }
    set.add(safe);
    await this.subscriptions.get(channel);
    let stopped = false;
    return async () => {
      if (stopped) return;
      stopped = true;
      const current = this.listeners.get(channel);
      if (!current?.delete(safe) || current.size > 0) return;
      this.listeners.delete(channel);
      this.subscriptions.delete(channel);
      // Commands on one connection run in order, so a SUBSCRIBE issued after this UNSUBSCRIBE wins.
      await this.subscriber.unsubscribe(channel).catch(() => undefined);
    };
  }
}
