/**
 * Whether this instance can take work now, and the one admission rule that refuses it: synchronous
 * renders stop while free memory is below ADMISSION_MIN_FREE_MEMORY_MB, before the host starts to
 * swap or kill browsers. Queued work is still accepted (it waits in the queue, not in memory here).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, freemem, loadavg, totalmem } from 'node:os';
import type { Config } from '../config/settings.js';
import { systemError, type ErrorReason, type FarmError } from '../errors/farm-error.js';
import type { ChartRenderer } from '../renderer/chart-renderer.js';
import type { TaskDeps } from './task-submission.js';

/** Seconds a refused client is asked to wait. */
export const OVERLOADED_RETRY_AFTER_SECONDS = 5;

const MIB = 1024 * 1024;

export interface MemoryReading {
  availableBytes: number;
  totalBytes: number;
  /** `cgroup` when the container's limit is tighter than the host. */
  source: 'host' | 'cgroup';
}

export interface PressureReading {
  accepting: boolean;
  /** Why not, when not accepting; null otherwise. */
  reason: string | null;
  /** Tasks waiting in the queue and running, when this instance has a task system. */
  pending: number | null;
  running: number | null;
  /** Pages of the pool, those free now, and renders waiting for one, when this instance renders. */
  pages: number | null;
  freePages: number | null;
  waitingForPage: number | null;
  memory: { availableMb: number; totalMb: number; minFreeMb: number; source: MemoryReading['source'] };
  cpu: { cores: number; load1: number; headroom: number };
}

function meminfoBytes(text: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
  return match ? Number(match[1]) * 1024 : undefined;
}

function readNumberFile(path: string): number | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return /^\d+$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * MemAvailable of /proc/meminfo (what can be had without swapping, unlike MemFree), or Node's free
 * memory elsewhere; tightened by a cgroup v2 memory limit when the farm runs in a container.
 */
export function readMemory(): MemoryReading {
  let available = freemem();
  let total = totalmem();
  try {
    const meminfo = readFileSync('/proc/meminfo', 'utf8');
    available = meminfoBytes(meminfo, 'MemAvailable') ?? available;
    total = meminfoBytes(meminfo, 'MemTotal') ?? total;
  } catch {
    // Not Linux: Node's figures stand.
  }
  const limit = readNumberFile('/sys/fs/cgroup/memory.max');
  const used = readNumberFile('/sys/fs/cgroup/memory.current');
  if (limit !== undefined && used !== undefined && limit < total) {
    return { availableBytes: Math.min(available, Math.max(0, limit - used)), totalBytes: limit, source: 'cgroup' };
  }
  return { availableBytes: available, totalBytes: total, source: 'host' };
}

export interface PressureParts {
  renderer?: Pick<ChartRenderer, 'stats'>;
  tasks?: TaskDeps;
  config: Pick<Config, 'admissionMinFreeMemoryMb' | 'queueMaxPending'>;
  /** How memory is read; tests of the rule hand in their own reading. */
  memory?: () => MemoryReading;
}

export class PressureGauge {
  private readonly memory: () => MemoryReading;

  constructor(private readonly parts: PressureParts) {
    this.memory = parts.memory ?? readMemory;
  }

  /** The refusal of a synchronous render under memory pressure; nothing is read when the rule is off. */
  admitRender(): void {
    const minFreeMb = this.parts.config.admissionMinFreeMemoryMb;
    if (minFreeMb === 0) return;
    const availableMb = Math.floor(this.memory().availableBytes / MIB);
    if (availableMb >= minFreeMb) return;
    throw systemError(
      'OVERLOADED',
      `this instance has ${availableMb} MiB of memory available, below ADMISSION_MIN_FREE_MEMORY_MB=${minFreeMb}; try again later or queue the chart`,
      { details: { retryAfterSeconds: OVERLOADED_RETRY_AFTER_SECONDS, availableMemoryMb: availableMb, minFreeMemoryMb: minFreeMb } },
    );
  }

  async read(): Promise<PressureReading> {
    const { renderer, tasks, config } = this.parts;
    const counts = tasks ? await tasks.queue.counts() : undefined;
    const pool = renderer?.stats();
    const memory = this.memory();
    const availableMb = Math.floor(memory.availableBytes / MIB);
    const cores = availableParallelism();
    const load1 = loadavg()[0] ?? 0;
    const reason = this.refusal(availableMb, counts?.pending);
    return {
      accepting: reason === null,
      reason,
      pending: counts?.pending ?? null,
      running: counts?.processing ?? null,
      pages: pool?.pages ?? null,
      freePages: pool?.idle ?? null,
      waitingForPage: pool?.waiting ?? null,
      memory: { availableMb, totalMb: Math.floor(memory.totalBytes / MIB), minFreeMb: config.admissionMinFreeMemoryMb, source: memory.source },
      cpu: { cores, load1: Math.round(load1 * 100) / 100, headroom: Math.round(Math.max(0, 1 - load1 / cores) * 100) / 100 },
    };
  }

  /** The answer of a reading that does not accept: the refusal's reason, the reading in its details. */
  static refusalError(reading: PressureReading): FarmError {
    const code: ErrorReason = reading.reason?.startsWith('memory') ? 'OVERLOADED' : reading.reason?.startsWith('queue') ? 'QUEUE_FULL' : 'SHUTTING_DOWN';
    return systemError(code, `this instance takes no work now: ${reading.reason}`, {
      details: { ...reading, retryAfterSeconds: OVERLOADED_RETRY_AFTER_SECONDS },
    });
  }

  private refusal(availableMb: number, pending: number | undefined): string | null {
    if (this.parts.tasks && !this.parts.tasks.accepting()) return 'shutting down';
    const minFreeMb = this.parts.config.admissionMinFreeMemoryMb;
    if (minFreeMb > 0 && availableMb < minFreeMb) return `memory: ${availableMb} MiB available, below ADMISSION_MIN_FREE_MEMORY_MB=${minFreeMb}`;
    if (pending !== undefined && pending >= this.parts.config.queueMaxPending) return `queue full: ${pending} pending, QUEUE_MAX_PENDING=${this.parts.config.queueMaxPending}`;
    return null;
  }
}

/** `renderer` with the admission rule in front of every render (the HTTP app's synchronous renders). */
export function admittedRenderer<Renderer extends Pick<ChartRenderer, 'render' | 'stats' | 'fingerprint'>>(
  renderer: Renderer,
  gauge: Pick<PressureGauge, 'admitRender'>,
): Pick<ChartRenderer, 'render' | 'stats' | 'fingerprint'> {
  return {
    render: (request) => {
      gauge.admitRender();
      return renderer.render(request);
    },
    stats: () => renderer.stats(),
    get fingerprint() {
      return renderer.fingerprint;
    },
  };
}
