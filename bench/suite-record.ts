/**
 * A suite run as one JSON record: the machine and versions, every cell's figures with its ratio to
 * the limit at the same concurrency, the pixel check, the queue figures and the targets.
 */
import type { Machine } from '../measure/machine.js';
import type { PixelCheck } from '../measure/pixel-check.js';
import type { QueueFigures } from './queue-latest.js';
import { recordHeader } from './record-header.js';
import type { SectionName, SuiteRun } from './suite-run.js';
import { selectedCharts } from './suite-plan.js';
import { REFERENCE_ID, type PixelSummary, type PixelVerdict, type SectionRecord, type SuiteRecord, type SuiteSettings, type SuiteVersions } from './suite-record-shape.js';
import { judgeTargets } from './suite-targets.js';

function summarizePixels(checks: readonly PixelCheck[]): PixelSummary[] {
  const ids = [...new Set(checks.map((check) => check.targetId))];
  return ids.map((targetId) => {
    const own = checks.filter((check) => check.targetId === targetId);
    return {
      targetId,
      charts: own.length,
      identical: own.filter((check) => check.differingPixels === 0).length,
      differing: own.filter((check) => (check.differingPixels ?? 0) > 0).map((check) => ({ chart: check.chart, pixels: check.differingPixels! })),
      problems: own.flatMap((check) => (check.problem === undefined ? [] : [`${check.chart}: ${check.problem}`])),
    };
  });
}

function pixelVerdict(targetId: string, pixels: readonly PixelSummary[]): PixelVerdict {
  if (targetId === REFERENCE_ID) return 'identical';
  const summary = pixels.find((candidate) => candidate.targetId === targetId);
  if (!summary) return 'unchecked';
  return summary.identical === summary.charts ? 'identical' : 'differ';
}

function sectionRecord(section: SuiteRun['sections'][SectionName], pixels: readonly PixelSummary[]): SectionRecord {
  const { run, plan } = section;
  const limitAt = (concurrency: number) => run.cells.find((cell) => cell.targetId === REFERENCE_ID && cell.concurrency === concurrency);
  return {
    workload: plan.workload,
    charts: selectedCharts(plan).map((chart) => chart.name),
    concurrencies: plan.concurrencies,
    rounds: run.rounds,
    measuredMs: run.measuredMs,
    wallMs: run.wallMs,
    cells: run.cells.map((cell) => {
      const limit = limitAt(cell.concurrency);
      return {
        ...cell,
        ...(limit && limit.rendersPerSecond > 0 ? { ratioToLimit: cell.rendersPerSecond / limit.rendersPerSecond } : {}),
        pixels: pixelVerdict(cell.targetId, pixels),
        latenciesMs: cell.latenciesMs.map((ms) => Math.round(ms * 10) / 10),
      };
    }),
    warmupErrors: run.warmupErrors,
  };
}

export interface SuiteRecordInput {
  startedAt: Date;
  machine: Machine;
  versions: SuiteVersions;
  settings: SuiteSettings;
  run: SuiteRun;
  queue: QueueFigures | undefined;
}

export function buildSuiteRecord(input: SuiteRecordInput): SuiteRecord {
  const { run } = input;
  const byTarget = summarizePixels(run.pixelChecks);
  const sections = Object.fromEntries(
    Object.entries(run.sections).map(([name, section]) => [name, sectionRecord(section, byTarget)]),
  ) as Record<SectionName, SectionRecord>;
  const all = Object.values(run.sections);
  const totals = { rounds: all.reduce((total, section) => total + section.run.rounds, 0), measuredMs: all.reduce((total, section) => total + section.run.measuredMs, 0) };
  const record: Omit<SuiteRecord, 'targets'> = {
    ...recordHeader('suite' as const, input, totals),
    pixelCheck: { referenceId: REFERENCE_ID, byTarget, checks: run.pixelChecks },
    sections,
    svg: run.svg,
    queue: input.queue,
  };
  return { ...record, targets: judgeTargets(record, input.settings.plan) };
}
