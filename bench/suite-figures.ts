/** The PNG charts of RESULTS.md, rendered by the farm itself: throughput and p95 against concurrency, per contender. */
import type { Config } from '../config/settings.js';
import { renderFigurePng, type FigureSpec } from '../measure/figure-chart.js';
import type { SectionRecord, SuiteCell } from './suite-record-shape.js';

export interface SuiteFigures {
  throughputPng: Buffer;
  p95Png: Buffer;
}

function figureOf(section: SectionRecord, title: string, axis: string, value: (cell: SuiteCell) => number): FigureSpec {
  const ids = [...new Set(section.cells.map((cell) => cell.targetId))];
  return {
    title,
    subtitle: `workload ${section.workload} (${section.charts.length} charts), same run, same slices`,
    xName: 'renders in flight',
    categories: section.concurrencies.map(String),
    leftAxisName: axis,
    series: ids.map((id) => ({
      name: id,
      kind: 'line',
      axis: 'left',
      values: section.concurrencies.map((concurrency) => {
        const cell = section.cells.find((candidate) => candidate.targetId === id && candidate.concurrency === concurrency);
        return cell && cell.renders > 0 ? Math.round(value(cell) * 100) / 100 : null;
      }),
    })),
  };
}

export async function renderSuiteFigures(section: SectionRecord, config: Config): Promise<SuiteFigures> {
  return {
    throughputPng: await renderFigurePng(figureOf(section, 'Throughput against concurrency', 'renders/s', (cell) => cell.rendersPerSecond), config),
    p95Png: await renderFigurePng(figureOf(section, 'p95 latency against concurrency', 'p95 ms', (cell) => cell.latency.p95Ms), config),
  };
}
