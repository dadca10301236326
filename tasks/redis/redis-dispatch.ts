/**
 * Hands tasks to workers through BullMQ. A BullMQ job carries only the task id and its run number;
 * the record in the record store is the truth, and a job whose run is not the record's current
 * one is stale (an older run of a requeued task) and is dropped by the consumer.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TaskPriority } from '../task.js';
import { DISPATCH_QUEUE_NAME } from './redis-keys.js';
import { RedisFairRounds } from './redis-fair-rounds.js';
import type { RedisQueueLogger } from './redis-queue-logger.js';

/** What a BullMQ job of the farm carries. */
export interface DispatchJobData {
  taskId: string;
  run: number;
}

/*
 * BullMQ priorities (lower runs first): every task gets one, so all wait in BullMQ's prioritized
 * set, whose score appends an insertion counter to the priority. Each farm priority is a band of
 * BullMQ priorities in which owners take turns (redis-fair-rounds.ts); first in first out within
 * one owner's turn.
 */

/** One job id per run, so a requeue never collides with a job of an earlier run still in BullMQ. */
export function dispatchJobId(taskId: string, run: number): string {
  return `${taskId}.${run}`;
}

/** The BullMQ queue that carries jobs to the consumers of every host. */
export class RedisDispatch {
  private readonly queue: Queue<DispatchJobData>;
  /** Owners take turns within a priority (redis-fair-rounds.ts). */
  private readonly fair: RedisFairRounds;

  constructor(client: Redis, prefix: string, logger: RedisQueueLogger) {
    this.queue = new Queue<DispatchJobData>(DISPATCH_QUEUE_NAME, { connection: client, prefix });
    this.fair = new RedisFairRounds(client, prefix);
    this.queue.on('error', (error) => logger.error({ err: error }, 'BullMQ queue error'));
  }

  async enqueue(taskId: string, run: number, priority: TaskPriority, owner: string): Promise<void> {
    await this.queue.add(
      'render',
      { taskId, run },
      {
        jobId: dispatchJobId(taskId, run),
        priority: await this.fair.priorityFor(owner, priority),
        // Retries, failures and results live in the record store; BullMQ keeps nothing once done.
        removeOnComplete: true,
        removeOnFail: true,
        // Attempts here cover only infrastructure failures of the consumer itself (Redis gone
        // mid-write); a task's own failures are retried by the consumer with the farm's backoff.
        attempts: 3,
        backoff: { type: 'exponential', delay: 1000 },
      },
    );
  }

  /**
   * Removes a job that no worker holds (waiting, prioritized or delayed for a retry).
   * False when a worker holds it (the job is locked).
   */
  async remove(taskId: string, run: number): Promise<boolean> {
    return (await this.queue.remove(dispatchJobId(taskId, run))) === 1;
  }

  /** Resolves once BullMQ's queue is set up; jobs added before may land where no worker looks. */
  async ready(): Promise<void> {
    await this.queue.waitUntilReady();
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
