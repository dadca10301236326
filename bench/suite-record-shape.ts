/**
 * The shape of a suite run's JSON record, apart from how it is built (suite-record.ts) and judged
 * (suite-targets.ts), so that neither of those depends on the other.
 */
import type { CellFigures } from '../measure/cell-figures.js';
import type { Machine } from '../measure/machine.js';
import type { PixelCheck } from '../measure/pixel-check.js';
import type { QueueFigures } from './queue-latest.js';
import type { FarmSource } from './record-header.js';
import type { SectionName, SvgComparison } from './suite-run.js';
import type { SuitePlan } from './suite-plan.js';

export const REFERENCE_ID = 'limit';

export interface SuiteVersions {
  farm: FarmSource;
  node: string;
  chromium: string;
  chromiumPath: string;
  echarts: string;
  puppeteer: string;
  puppeteerCluster: string;
}

export interface SuiteSettings {
  plan: SuitePlan;
  /** One line per contender: what one of its renders is. */
  contenders: { id: string; label: string }[];
}

/** Whether a target's images passed the pixel check against the limit. */
export type PixelVerdict = 'identical' | 'differ' | 'unchecked';

export interface SuiteCell extends Omit<CellFigures, 'latenciesMs'> {
  /** This cell's renders/s over the limit's at the same concurrency, in the same section. */
  ratioToLimit?: number;
  pixels: PixelVerdict;
  latenciesMs: number[];
}

export interface SectionRecord {
  workload: string;
  charts: string[];
  concurrencies: readonly number[];
  rounds: number;
  measuredMs: number;
  wallMs: number;
  cells: SuiteCell[];
  warmupErrors: Record<string, string[]>;
}

export interface PixelSummary {
  targetId: string;
  charts: number;
  identical: number;
  differing: { chart: string; pixels: number }[];
  problems: string[];
}

export interface SuiteRecord {
  benchmark: 'suite';
  date: string;
  startedAt: string;
  wallMs: number;
  machine: Machine;
  versions: SuiteVersions;
  settings: SuiteSettings;
  rounds: number;
  measuredMs: number;
  pixelCheck: { referenceId: string; byTarget: PixelSummary[]; checks: PixelCheck[] };
  sections: Record<SectionName, SectionRecord>;
  svg: SvgComparison;
  /** The newest record of `npm run bench:queue`, or undefined when there is none. */
  queue: QueueFigures | undefined;
  targets: TargetVerdict[];
}

export interface TargetVerdict {
  goal: string;
  /** undefined: not measured in this run. */
  met: boolean | undefined;
  /** The figure the verdict rests on, e.g. `0.97× (worst at 8 in flight)`. */
  figure: string;
}
