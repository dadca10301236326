/**
 * The queue benchmark's schedule. The machine is shared and its load drifts, so the two backends
 * take turns in short slices and see the same drift: each round has, per concurrency, one accept
 * slice per backend, then one latency slice per backend; which backend goes first alternates
 * from round to round. Only ratios from one run mean anything.
 */
import { loadavg } from 'node:os';
import { parseRenderRequest } from '../renderer/render-request.js';
import type { ChartRenderer } from '../renderer/chart-renderer.js';
import { compareImages, ImageSizeMismatchError } from '../renderer/image-compare.js';
import type { BenchChart } from './charts.js';
import type { AcceptResult } from './http-load-process.js';
import type { HttpLoadClient } from './http-load-client.js';
import { runTimedRounds } from '../measure/timed-rounds.js';
import type { ProgressLine } from '../measure/progress-line.js';
import { BACKENDS, openAcceptFarm, type BackendId, type FarmContext, type LatencyFarm, type RedisAdmin } from './queue-farms.js';

export interface QueueSchedule {
  /** Measured seconds; the last round may run past them by up to half a round. */
  measureSeconds: number;
  /** Rounds measured whatever the clock says. */
  minRounds: number;
  /** Rounds run first and thrown away (JIT, connections, the page's first renders). */
  warmupRounds: number;
  /** Requests in flight at once, one accept slice each per round and backend. */
  concurrencies: readonly number[];
  /** Measured time of one accept slice. */
  acceptSliceMs: number;
  /** Requests per connection before an accept slice's clock starts. */
  acceptWarmupPerConnection: number;
  /** Task/direct pairs per latency slice. */
  latencyPairsPerSlice: number;
}

/** One accept slice: a fresh queue, no worker, `concurrency` clients for a fixed time. */
export interface AcceptSlice {
  round: number;
  backend: BackendId;
  concurrency: number;
  accepted: number;
  acceptedPerSecond: number;
  wallMs: number;
  /** Answers other than 202, by status. */
  refused: Record<string, number>;
  failed: number;
  errors: string[];
  /** Pending tasks the queue counted after the slice, against the 202s the client saw. */
  pendingAfter: number;
  acceptedInAll: number;
  latenciesMs: number[];
}

/** One task through the farm, against the direct render next to it. */
export interface LatencyPair {
  round: number;
  /** Submit → final status event, as the client saw it. */
  taskMs: number;
  /** `renderer.render` of the same chart on the same page. */
  directMs: number;
  /** Where the task's time went. */
  steps: {
    /** POST sent → 202 read. */
    submitMs: number;
    /** createdAt → startedAt: waiting for the worker to take it. */
    pickupMs: number;
    /** The worker's render (the renderer's own total). */
    renderMs: number;
    /** Writing the image to the local store. */
    storeMs: number;
    /** startedAt → completedAt: render, store and the worker's bookkeeping. */
    workMs: number;
    /** completedAt → the client read the final event. */
    notifyMs: number;
  };
  directSettledBy: 'finished' | 'cap';
}

export interface LatencyRun {
  pairs: LatencyPair[];
  /** Tasks that did not complete, warm-up included; the first few messages are kept. */
  failures: number;
  errors: string[];
  /** Pixels that differ between the first task's stored image and the direct render (0: the same). */
  pixelDiff: number | undefined;
}

export interface QueueRunResult {
  rounds: number;
  measuredMs: number;
  accept: AcceptSlice[];
  latency: Record<BackendId, LatencyRun>;
  /** 1-minute load average at the start of each measured round. */
  loadAverageByRound: number[];
}

export interface QueueRunInput {
  context: FarmContext;
  redis: RedisAdmin;
  runPrefix: string;
  chart: BenchChart;
  size: { width: number; height: number };
  client: HttpLoadClient;
  renderer: ChartRenderer;
  latencyFarms: Record<BackendId, LatencyFarm>;
  schedule: QueueSchedule;
  progress: ProgressLine;
}

const KEPT_ERRORS = 5;
/** A latency task that is not final after this long counts as failed. */
const TASK_TIMEOUT_MS = 60_000;

function backendOrder(round: number): readonly BackendId[] {
  return round % 2 === 0 ? BACKENDS : [...BACKENDS].reverse();
}

export async function runQueueBenchmark(input: QueueRunInput): Promise<QueueRunResult> {
  const { context, redis, runPrefix, chart, size, client, renderer, latencyFarms, schedule, progress } = input;
  const body = JSON.stringify({ type: 'png', ...size, option: chart.option });
  const direct = parseRenderRequest({ type: 'png', ...size, option: chart.option }, { allowFunctions: false });
  const accept: AcceptSlice[] = [];
  const latency: Record<BackendId, LatencyRun> = {
    memory: { pairs: [], failures: 0, errors: [], pixelDiff: undefined },
    redis: { pairs: [], failures: 0, errors: [], pixelDiff: undefined },
  };
  const loadAverageByRound: number[] = [];
  let sliceCount = 0;
  let phase = 'warming up';

  const acceptSlice = async (round: number, backend: BackendId, concurrency: number, keep: boolean): Promise<void> => {
    progress.update(`${phase} · accept · ${backend} · ${concurrency} in flight`);
    const prefix = `${runPrefix}:accept-${(sliceCount += 1)}`;
    const farm = await openAcceptFarm(context, backend, prefix);
    let result: AcceptResult;
    let pendingAfter: number;
    try {
      result = await client.accept({
        url: farm.url,
        body,
        concurrency,
        warmupPerConnection: schedule.acceptWarmupPerConnection,
        durationMs: schedule.acceptSliceMs,
      });
      pendingAfter = (await farm.queue.counts()).pending;
    } finally {
      await farm.close();
      if (backend === 'redis') await redis.deleteKeys(prefix);
    }
    if (!keep) return;
    const { 202: accepted = 0, ...refused } = result.statuses;
    accept.push({
      round,
      backend,
      concurrency,
      accepted,
      acceptedPerSecond: (accepted * 1000) / result.wallMs,
      wallMs: result.wallMs,
      refused,
      failed: result.failed,
      errors: result.errors,
      pendingAfter,
      acceptedInAll: accepted + result.warmupAccepted,
      latenciesMs: result.latenciesMs,
    });
  };

  const task = async (backend: BackendId) => {
    const farm = latencyFarms[backend];
    const trip = await client.roundTrip({ url: farm.url, body, timeoutMs: TASK_TIMEOUT_MS });
    const worker = farm.takeWorkerSteps();
    if (!trip.ok) throw new Error(trip.error);
    const { final } = trip;
    if (final.status !== 'completed') throw new Error(`task ${final.taskId} ended ${final.status}: ${final.error?.reason} ${final.error?.message}`);
    const createdAt = Date.parse(final.createdAt);
    const startedAt = Date.parse(final.startedAt!);
    const completedAt = Date.parse(final.completedAt!);
    return {
      taskId: final.taskId,
      taskMs: trip.totalMs,
      steps: {
        submitMs: trip.submitMs,
        pickupMs: startedAt - createdAt,
        renderMs: worker.renderMs,
        storeMs: worker.storeMs,
        workMs: completedAt - startedAt,
        notifyMs: trip.finalEventAtEpochMs - completedAt,
      },
    };
  };

  const directRender = async () => {
    const started = performance.now();
    const result = await renderer.render(direct);
    return { ms: performance.now() - started, bytes: result.bytes, settledBy: result.settledBy };
  };

  /** The first task's stored image against a direct render: the task drew the same chart. */
  const pixelCheck = async (backend: BackendId, taskId: string, directBytes: Buffer): Promise<number | undefined> => {
    const stored = await latencyFarms[backend].storedImage(taskId);
    if (stored === undefined) return undefined;
    try {
      return compareImages(directBytes, stored, { diffImage: false }).differingPixels;
    } catch (error) {
      if (error instanceof ImageSizeMismatchError) return -1;
      throw error;
    }
  };

  const latencySlice = async (round: number, backend: BackendId, keep: boolean): Promise<void> => {
    const run = latency[backend];
    for (let pair = 0; pair < schedule.latencyPairsPerSlice; pair += 1) {
      progress.update(`${phase} · latency · ${backend} · pair ${pair + 1}/${schedule.latencyPairsPerSlice} · kept ${run.pairs.length} pairs`);
      try {
        // Which goes first alternates, so neither always follows the other.
        let taken: Awaited<ReturnType<typeof task>>;
        let rendered: Awaited<ReturnType<typeof directRender>>;
        if (pair % 2 === 0) {
          taken = await task(backend);
          rendered = await directRender();
        } else {
          rendered = await directRender();
          taken = await task(backend);
        }
        if (run.pixelDiff === undefined) run.pixelDiff = await pixelCheck(backend, taken.taskId, rendered.bytes);
        if (keep) run.pairs.push({ round, taskMs: taken.taskMs, directMs: rendered.ms, steps: taken.steps, directSettledBy: rendered.settledBy });
      } catch (error) {
        run.failures += 1;
        if (run.errors.length < KEPT_ERRORS) run.errors.push((error as Error).message);
      }
    }
  };

  const round = async (index: number, keep: boolean): Promise<void> => {
    for (const concurrency of schedule.concurrencies) {
      for (const backend of backendOrder(index)) await acceptSlice(index, backend, concurrency, keep);
    }
    for (const backend of backendOrder(index)) await latencySlice(index, backend, keep);
  };

  for (let index = 0; index < schedule.warmupRounds; index += 1) await round(-1 - index, false);
  const { rounds, measuredMs } = await runTimedRounds(schedule, async (label, index) => {
    phase = label;
    loadAverageByRound.push(loadavg()[0]!);
    await round(index, true);
  });
  return { rounds, measuredMs, accept, latency, loadAverageByRound };
}
