/**
 * The farm asynchronously, on the memory or the Redis queue: `POST /api/charts/generate` (202 and a
 * task id), then `GET /api/charts/events/:taskId` until the final status, as a client that submits
 * tasks does. The farm is the `serve` role (API and worker in one process, bench/queue-farms.ts) with a
 * local store in a temporary folder; the client is the queue benchmark's, in a process of its own.
 * The image is read from the store once the task completed (a local file: about a millisecond).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RenderTarget, TargetRender, WorkloadChart } from '../../measure/render-target.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import type { HttpLoadClient } from '../http-load-client.js';
import { openLatencyFarm, type BackendId, type FarmContext, type LatencyFarm, type RedisAdmin } from '../queue-farms.js';
import { requestBodies } from './chart-request.js';
import { describeShape, type PoolShape } from '../../measure/pool-shape-target.js';
import { startFarmRenderer } from './farm-renderer.js';

/** A task that is not final after this long fails. */
const TASK_TIMEOUT_MS = 60_000;

export interface FarmAsyncOptions {
  executablePath: string;
  shape: PoolShape;
  backend: BackendId;
  context: FarmContext;
  /** Deletes the Redis keys below `prefix` when the target closes. */
  redis: RedisAdmin;
  /** Every Redis key of this farm is below it. */
  prefix: string;
  client: HttpLoadClient;
}

export class FarmAsyncTarget implements RenderTarget {
  readonly id: string;
  readonly label: string;
  private readonly bodies = requestBodies();

  private constructor(
    private readonly options: FarmAsyncOptions,
    private readonly renderer: ChartRenderer,
    private readonly farm: LatencyFarm,
    private readonly storeRoot: string,
  ) {
    this.id = `farm-async-${options.backend}`;
    this.label = `farm async, ${options.backend} queue (pool ${describeShape(options.shape)})`;
  }

  static async start(options: FarmAsyncOptions): Promise<FarmAsyncTarget> {
    const storeRoot = mkdtempSync(join(tmpdir(), `bench-${options.backend}-images-`));
    const renderer = await startFarmRenderer(options.executablePath, options.shape);
    try {
      const farm = await openLatencyFarm(options.context, options.backend, options.prefix, renderer, storeRoot);
      return new FarmAsyncTarget(options, renderer, farm, storeRoot);
    } catch (error) {
      await renderer.close();
      rmSync(storeRoot, { recursive: true, force: true });
      throw error;
    }
  }

  async render(chart: WorkloadChart): Promise<TargetRender> {
    const trip = await this.options.client.roundTrip({ url: this.farm.url, body: this.bodies.of(chart), timeoutMs: TASK_TIMEOUT_MS });
    if (!trip.ok) throw new Error(trip.error);
    const { final } = trip;
    if (final.status !== 'completed') throw new Error(`task ${final.taskId} ended ${final.status}: ${final.error?.reason} ${final.error?.message}`);
    const bytes = await this.farm.storedImage(final.taskId);
    if (!bytes) throw new Error(`task ${final.taskId} completed without a stored image`);
    return { bytes };
  }

  processIds(): number[] {
    return this.renderer.browserPids();
  }

  async close(): Promise<void> {
    await this.farm.close();
    await this.renderer.close();
    if (this.options.backend === 'redis') await this.options.redis.deleteKeys(this.options.prefix);
    rmSync(this.storeRoot, { recursive: true, force: true });
  }
}
