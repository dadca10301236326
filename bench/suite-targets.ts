/**
 * The suite's targets, each judged from a run's record: met, not met, or not measured, with the
 * figure it rests on. A ratio is taken between cells of one section at the same concurrency, and the
 * worst concurrency decides; a contender whose pixels differ from the limit's never meets one.
 */
import type { PoolShape } from '../measure/pool-shape-target.js';
import type { SectionRecord, SuiteCell, SuiteRecord, TargetVerdict } from './suite-record-shape.js';
import type { SuitePlan } from './suite-plan.js';

const MIB = 1024 * 1024;

function cellOf(section: SectionRecord, targetId: string, concurrency: number): SuiteCell | undefined {
  return section.cells.find((cell) => cell.targetId === targetId && cell.concurrency === concurrency);
}

/** `numerator`'s renders/s over the best of `denominators`' at each concurrency; the lowest ratio. */
function worstRatio(section: SectionRecord, numerator: string, denominators: readonly string[]) {
  let worst: { ratio: number; concurrency: number; pixelsDiffer: boolean } | undefined;
  for (const concurrency of section.concurrencies) {
    const top = cellOf(section, numerator, concurrency);
    const bottoms = denominators.map((id) => cellOf(section, id, concurrency)).filter((cell) => cell !== undefined);
    if (!top || bottoms.length === 0) continue;
    const ratio = top.rendersPerSecond / Math.max(...bottoms.map((cell) => cell.rendersPerSecond));
    const pixelsDiffer = [top, ...bottoms].some((cell) => cell.pixels === 'differ');
    if (!worst || ratio < worst.ratio) worst = { ratio, concurrency, pixelsDiffer };
  }
  return worst;
}

function ratioVerdict(goal: string, section: SectionRecord, numerator: string, denominators: readonly string[], atLeast: number): TargetVerdict {
  const worst = worstRatio(section, numerator, denominators);
  if (!worst) return { goal, met: undefined, figure: 'not measured' };
  const ratio = worst.ratio >= 10 ? worst.ratio.toFixed(0) : worst.ratio.toFixed(2);
  const marks = worst.pixelsDiffer ? '; pixels differ' : '';
  return { goal, met: worst.ratio >= atLeast && !worst.pixelsDiffer, figure: `${ratio}× (worst of ${section.concurrencies.join(', ')} in flight: at ${worst.concurrency})${marks}` };
}

function pagesOf(shape: PoolShape): number {
  return shape.browsers * shape.pagesPerBrowser;
}

export function judgeTargets(record: Omit<SuiteRecord, 'targets'>, plan: SuitePlan): TargetVerdict[] {
  const { main, light } = record.sections;
  const farmCells = main.cells.filter((cell) => cell.targetId === 'farm');
  const steadyPerPage = Math.max(...farmCells.map((cell) => cell.memory.steadyBytes)) / pagesOf(plan.farmShape) / MIB;
  const bestRedis = record.queue?.accepted.reduce((best, row) => (row.redis > best.redis ? row : best));
  const errorCells = Object.values(record.sections).flatMap((section) => section.cells.filter((cell) => cell.errors > 0));
  const warmupErrors = Object.values(record.sections).flatMap((section) => Object.values(section.warmupErrors).flat());
  const pixelProblems = [...record.pixelCheck.byTarget.flatMap((summary) => summary.problems), ...record.svg.problems];
  const errors = errorCells.reduce((total, cell) => total + cell.errors, 0) + warmupErrors.length + pixelProblems.length;
  const differing = record.pixelCheck.byTarget.filter((summary) => summary.differing.length > 0);
  return [
    ratioVerdict('farm in process ≥ 0.95× the limit', main, 'farm', ['limit'], 0.95),
    ratioVerdict('farm over HTTP ≥ 0.85× the limit', main, 'farm-http', ['limit'], 0.85),
    ratioVerdict('farm ≥ 15× launch per render (mix)', main, 'farm', ['naive'], 15),
    ratioVerdict('farm ≥ 50× launch per render (light mix)', light, 'farm', ['naive'], 50),
    ratioVerdict("farm ≥ 3× puppeteer-cluster's best mode", main, 'farm', ['cluster-page', 'cluster-browser'], 3),
    {
      goal: 'steady memory ≤ 400 MiB PSS per warm page (recycling on)',
      met: farmCells.length === 0 ? undefined : steadyPerPage <= 400,
      figure: farmCells.length === 0 ? 'not measured' : `${steadyPerPage.toFixed(0)} MiB per page (farm's highest steady PSS, Node included, ÷ ${pagesOf(plan.farmShape)} pages)`,
    },
    {
      goal: 'the Redis queue accepts ≥ 1,000 tasks/s',
      met: bestRedis === undefined ? undefined : bestRedis.redis >= 1000,
      figure: bestRedis === undefined ? 'no `npm run bench:queue` record' : `${bestRedis.redis.toFixed(0)}/s at ${bestRedis.concurrency} in flight (${record.queue!.record})`,
    },
    {
      goal: 'zero errors in every contender',
      met: errors === 0,
      figure: errors === 0 ? '0 errors' : `${errors} errors (${[...errorCells.map((cell) => `${cell.targetId} at ${cell.concurrency}`), ...pixelProblems].slice(0, 4).join('; ')})`,
    },
    {
      goal: "every contender's PNG pixel-identical to the limit's",
      met: differing.length === 0 && pixelProblems.length === 0,
      figure:
        differing.length > 0
          ? `differ: ${differing.map((summary) => summary.targetId).join(', ')}`
          : pixelProblems.length > 0
            ? `${pixelProblems.length} images could not be compared`
            : `${record.pixelCheck.checks.length} images checked, all identical`,
    },
  ];
}
