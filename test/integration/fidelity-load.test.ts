/**
 * Fidelity under load, bounded: a sample of the corpus and the project's own charts, at pixel ratios
 * 1 and 2, rendered two at a time through the farm for at least 30 s while busy loops saturate every
 * core, each equal to a plain page's quiet render. `npm run fidelity -- --load` runs the whole set.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fidelityCharts } from '../helpers/fidelity-charts.js';
import { defaultBusyLoops, runStressFidelity } from '../helpers/fidelity-stress.js';

/** The project's own charts (what load once moved: wrapping labels, alignTo pies, progressive custom) and every fifth corpus chart. */
function sample() {
  const charts = fidelityCharts();
  return charts.filter((chart, index) => chart.name.startsWith('fixture.') || index % 5 === 0);
}

describe('fidelity under CPU load', () => {
  it('renders a sample with a quiet plain page’s pixels while every core is busy and two renders are in flight', async () => {
    const result = await runStressFidelity({
      charts: sample(),
      pixelRatios: [1, 2],
      inFlight: 2,
      busyLoops: defaultBusyLoops(),
      minLoadMs: 30_000,
    });
    assert.ok(result.cases >= 20, `${result.cases} cases`);
    assert.deepEqual(result.differences, [], 'charts that differ from the quiet plain page');
    assert.deepEqual(result.capped.filter((name) => !name.includes('effect')), [], 'only looping effects settle at the cap');
  });
});
