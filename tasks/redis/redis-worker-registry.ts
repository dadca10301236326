/**
 * Live workers of the farm: each consumer writes its WorkerInfo into one hash every few seconds;
 * readers keep those whose heartbeat is recent. A worker killed without closing simply stops
 * beating and drops out after the liveness window.
 */
import type { Redis } from 'ioredis';
import type { WorkerInfo } from '../task-queue.js';
import type { RedisKeys } from './redis-keys.js';

/** Entries of workers killed without closing are deleted after this long. */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

/** Heartbeats of the consumers of every host, and who is alive. */
export class RedisWorkerRegistry {
  constructor(
    private readonly client: Redis,
    private readonly keys: RedisKeys,
    /** A worker whose last heartbeat is older than this is gone. */
    private readonly livenessMs: number,
  ) {}

  async beat(info: WorkerInfo): Promise<void> {
    await this.client.hset(this.keys.workers(), info.workerId, JSON.stringify(info));
  }

  async remove(workerId: string): Promise<void> {
    await this.client.hdel(this.keys.workers(), workerId);
  }

  /**
   * Workers seen within the liveness window. Entries of workers silent for a day are deleted on
   * the way (only those: a fresher one might be rewritten by its heartbeat while we read).
   */
  async live(): Promise<WorkerInfo[]> {
    const entries = await this.client.hgetall(this.keys.workers());
    const now = Date.now();
    const live: WorkerInfo[] = [];
    const gone: string[] = [];
    for (const [workerId, json] of Object.entries(entries)) {
      const info = JSON.parse(json) as WorkerInfo;
      const age = now - Date.parse(info.lastHeartbeat);
      if (age <= this.livenessMs) live.push(info);
      else if (age > FORGET_AFTER_MS) gone.push(workerId);
    }
    if (gone.length > 0) await this.client.hdel(this.keys.workers(), ...gone);
    return live.sort((a, b) => a.workerId.localeCompare(b.workerId));
  }
}
