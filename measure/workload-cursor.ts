import type { WorkloadChart } from './render-target.js';

/**
 * Hands out a workload's charts in order, round and round. Each (target, concurrency) has its own
 * cursor, and slices end only between passes, so every cell renders the same mix in whole passes.
 */
export class WorkloadCursor {
  private position = 0;

  constructor(private readonly charts: readonly WorkloadChart[]) {
    if (charts.length === 0) throw new Error('a workload needs at least one chart');
  }

  /** True once part of a pass has been handed out and the rest has not. */
  get midPass(): boolean {
    return this.position % this.charts.length !== 0;
  }

  next(): WorkloadChart {
    const chart = this.charts[this.position % this.charts.length]!;
    this.position += 1;
    return chart;
  }
}
