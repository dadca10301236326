/**
 * Do the targets draw what the reference draws? Each chart is rendered once per target, one at a
 * time, and its decoded pixels are compared with the reference target's (PNG bytes differ between
 * encoders, pixels must not).
 */
import { compareImages } from '../renderer/image-compare.js';
import type { RenderTarget, TargetRender, WorkloadChart } from './render-target.js';

export interface PixelCheck {
  chart: string;
  targetId: string;
  referenceId: string;
  /** Pixels that differ from the reference's image (0: the same chart); absent when there was a problem. */
  differingPixels?: number;
  totalPixels?: number;
  /** Why no comparison was made: a failed render, another size, an image that is no PNG. */
  problem?: string;
  /** For a differing chart: how each render ended its wait (`cap`: ECharts never said `finished`). */
  settledBy?: { reference?: string; target?: string };
  /** For a differing chart: where both images were kept, to look at. */
  images?: string[];
}

/** Keeps the two images of a differing chart; answers where they are. */
export type KeepDifference = (check: PixelCheck, expected: Buffer, actual: Buffer) => string[];

async function renderOrProblem(target: RenderTarget, chart: WorkloadChart): Promise<TargetRender | string> {
  try {
    return await target.render(chart);
  } catch (error) {
    return `${target.id} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** One row per (chart, target other than the reference), in workload order. */
export async function checkPixels(
  targets: readonly RenderTarget[],
  workload: readonly WorkloadChart[],
  referenceId: string,
  onProgress?: (text: string) => void,
  keepDifference?: KeepDifference,
): Promise<PixelCheck[]> {
  const reference = targets.find((target) => target.id === referenceId);
  if (!reference) throw new Error(`no target "${referenceId}" to compare with (targets: ${targets.map((target) => target.id).join(', ')})`);
  const checks: PixelCheck[] = [];
  for (const chart of workload) {
    onProgress?.(`pixel check · ${chart.name} · ${reference.id}`);
    const expected = await renderOrProblem(reference, chart);
    for (const target of targets.filter((candidate) => candidate !== reference)) {
      onProgress?.(`pixel check · ${chart.name} · ${target.id}`);
      const actual = await renderOrProblem(target, chart);
      const check: PixelCheck = { chart: chart.name, targetId: target.id, referenceId, ...comparison(expected, actual) };
      if (check.differingPixels && typeof expected !== 'string' && typeof actual !== 'string') {
        check.settledBy = { reference: expected.settledBy, target: actual.settledBy };
        check.images = keepDifference?.(check, expected.bytes, actual.bytes);
      }
      checks.push(check);
    }
  }
  return checks;
}

function comparison(expected: TargetRender | string, actual: TargetRender | string): Pick<PixelCheck, 'differingPixels' | 'totalPixels' | 'problem'> {
  if (typeof expected === 'string') return { problem: expected };
  if (typeof actual === 'string') return { problem: actual };
  try {
    const { differingPixels, totalPixels } = compareImages(expected.bytes, actual.bytes, { diffImage: false });
    return { differingPixels, totalPixels };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}
