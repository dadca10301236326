/**
 * Do the targets draw what the reference draws? Each chart is rendered once per target, one at a
 * time, and its decoded pixels are compared with the reference target's (PNG bytes differ between
 * encoders, pixels must not).
 */
import { compareImages } from '../renderer/image-compare.js';
import type { RenderTarget, WorkloadChart } from './render-target.js';

export interface PixelCheck {
  chart: string;
  targetId: string;
  referenceId: string;
  /** Pixels that differ from the reference's image (0: the same chart); absent when there was a problem. */
  differingPixels?: number;
  totalPixels?: number;
  /** Why no comparison was made: a failed render, another size, an image that is no PNG. */
  problem?: string;
}

async function renderOrProblem(target: RenderTarget, chart: WorkloadChart): Promise<Buffer | string> {
  try {
    return (await target.render(chart)).bytes;
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
      checks.push({ chart: chart.name, targetId: target.id, referenceId, ...comparison(expected, actual) });
    }
  }
  return checks;
}

function comparison(expected: Buffer | string, actual: Buffer | string): Pick<PixelCheck, 'differingPixels' | 'totalPixels' | 'problem'> {
  if (typeof expected === 'string') return { problem: expected };
  if (typeof actual === 'string') return { problem: actual };
  try {
    const { differingPixels, totalPixels } = compareImages(expected, actual, { diffImage: false });
    return { differingPixels, totalPixels };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}
