import type { WorkloadChart } from './render-target.js';

/**
 * Hands out a workload's charts in order, round and round. Each (target, concurrency) has its own
 * cursor that carries on across slices, so over a run every cell renders the same even mix.
 */
export class WorkloadCursor {
  private position = 0;

  constructor(private readonly charts: readonly WorkloadChart[]) {
    if (charts.length === 0) throw new Error('a workload needs at least one chart');
  }

  next(): WorkloadChart {
    const chart = this.charts[this.position % this.charts.length]!;
    this.position += 1;
    return chart;
  }
}
