/**
 * `npm run fidelity`: every chart of the corpus and of test/fixtures/fidelity, at pixel ratios 1 and
 * 2, rendered through the farm and compared with a plain Chromium page's quiet render.
 *   --load          busy loops on every core during the renders (the stress form)
 *   --in-flight N   renders at once (default 3)
 *   --min-load-s S  keep rendering the set again until S seconds have passed (default: one pass)
 * Prints a Markdown summary (the form docs/fidelity.md records) and exits 1 when a chart differs.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fidelityCharts } from './helpers/fidelity-charts.js';
import { defaultBusyLoops, runStressFidelity, type StressResult } from './helpers/fidelity-stress.js';

const { values } = parseArgs({
  options: {
    load: { type: 'boolean', default: false },
    'in-flight': { type: 'string', default: '3' },
    'min-load-s': { type: 'string', default: '0' },
  },
});

function summary(result: StressResult, loadAverageAtStart: number, charts: number): string {
  const lines = [
    `| charts | pixel ratios | cases | renders | passes | renders in flight | busy loops | time | load average (start → end) | differing |`,
    `| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |`,
    `| ${charts} | 1, 2 | ${result.cases} | ${result.renders} | ${result.passes} | ${result.inFlight} | ${result.busyLoops} on ${cpus().length} cores | ${Math.round(result.loadMs / 1000)} s | ${loadAverageAtStart.toFixed(1)} → ${result.loadAverageAtEnd.toFixed(1)} | ${result.differences.length} |`,
    '',
    `Settled at the cap: ${result.capped.length ? result.capped.join(', ') : 'none'}.`,
  ];
  for (const difference of result.differences) {
    lines.push(`- ${difference.name}@${difference.pixelRatio}: ${difference.error ?? `${difference.pixels} pixels differ`}`);
  }
  return lines.join('\n');
}

const charts = fidelityCharts();
const loadAverageAtStart = loadavg()[0]!;
const result = await runStressFidelity({
  charts,
  pixelRatios: [1, 2],
  inFlight: Number(values['in-flight']),
  busyLoops: values.load ? defaultBusyLoops() : 0,
  minLoadMs: Number(values['min-load-s']) * 1000,
  onProgress: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${summary(result, loadAverageAtStart, charts.length)}\n`);
process.exitCode = result.differences.length === 0 ? 0 : 1;
