/**
 * One slice: a target renders the workload at a fixed concurrency for a short while. New renders
 * start until the slice's time is up and the current pass over the workload is complete (a light
 * chart and a heavy one differ tenfold: figures compare only over the same mix); the ones in flight
 * then finish, and the slice counts as busy until the last one has.
 */
import { cpuSecondsOf, pssBytesOf } from './process-usage.js';
import type { RenderTarget } from './render-target.js';
import type { WorkloadCursor } from './workload-cursor.js';

export interface SliceOutcome {
  latenciesMs: number[];
  /** Renders captured at the wait cap because ECharts never said `finished`. */
  capped: number;
  errors: number;
  /** The first few error messages. */
  firstErrors: string[];
  /** From the first render's start to the last one's end. */
  busyMs: number;
  /** CPU seconds of the Node process and the target's trees during the slice. */
  cpuSeconds: number;
  /** PSS of the Node process plus the target's trees, sampled during the slice. */
  memorySamples: MemorySample[];
}

export interface MemorySample {
  /** `performance.now()` when it was taken. */
  atMs: number;
  bytes: number;
}

const KEPT_ERRORS = 5;

export interface SliceSettings {
  concurrency: number;
  sliceMs: number;
  /** Time between memory samples; a slice shorter than two of them is sampled in its middle. */
  memorySampleMs: number;
  /** Called after each render, to move a progress line. */
  onRender?: () => void;
}

export async function runSlice(target: RenderTarget, cursor: WorkloadCursor, settings: SliceSettings): Promise<SliceOutcome> {
  const outcome: SliceOutcome = { latenciesMs: [], capped: 0, errors: 0, firstErrors: [], busyMs: 0, cpuSeconds: 0, memorySamples: [] };
  const sample = () => outcome.memorySamples.push({ atMs: performance.now(), bytes: pssBytesOf(target.processIds()) });
  const firstSampleMs = Math.min(settings.memorySampleMs, settings.sliceMs / 2);
  let sampler: NodeJS.Timeout | undefined;
  const firstSample = setTimeout(() => {
    sample();
    sampler = setInterval(sample, settings.memorySampleMs);
  }, firstSampleMs);

  const cpuBefore = cpuSecondsOf(target.processIds());
  const started = performance.now();
  const deadline = started + settings.sliceMs;
  const worker = async () => {
    while (performance.now() < deadline || cursor.midPass) {
      const renderStarted = performance.now();
      try {
        const rendered = await target.render(cursor.next());
        outcome.latenciesMs.push(performance.now() - renderStarted);
        if (rendered.settledBy === 'cap') outcome.capped += 1;
      } catch (error) {
        outcome.errors += 1;
        if (outcome.firstErrors.length < KEPT_ERRORS) outcome.firstErrors.push(error instanceof Error ? error.message : String(error));
      }
      settings.onRender?.();
    }
  };
  try {
    await Promise.all(Array.from({ length: settings.concurrency }, worker));
  } finally {
    clearTimeout(firstSample);
    clearInterval(sampler);
  }
  outcome.busyMs = performance.now() - started;
  outcome.cpuSeconds = cpuSecondsOf(target.processIds()) - cpuBefore;
  if (outcome.memorySamples.length === 0) sample();
  return outcome;
}
