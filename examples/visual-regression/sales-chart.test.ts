/**
 * A visual regression test as it would sit in your own suite: the farm renders your chart and
 * compares it, pixel by pixel, with a golden PNG you approved (`POST /api/charts/compare`). The farm
 * promises identical pixels under one render fingerprint, so nothing may differ; when pixels do, the
 * recorded fingerprint tells a changed chart (same fingerprint) from a changed farm (Chromium,
 * ECharts, fonts or flags).
 *
 *   FARM_URL=http://localhost:3000 node --import tsx --test examples/visual-regression/sales-chart.test.ts
 *   UPDATE_GOLDEN=1 …   writes the golden and its fingerprint instead of comparing (review them first)
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FarmClient, type ChartSpec } from 'echarts-farm/client';

const farmUrl = process.env.FARM_URL ?? 'http://localhost:3000';
const farm = new FarmClient({ baseUrl: farmUrl });
const goldenDir = process.env.GOLDEN_DIR ?? join(dirname(fileURLToPath(import.meta.url)), 'golden');
const golden = { png: join(goldenDir, 'sales-chart.png'), fingerprint: join(goldenDir, 'sales-chart.fingerprint') };

/** The chart under test; in a real suite, built by the code that builds your dashboard. */
const SALES_CHART: ChartSpec = {
  width: 480,
  height: 300,
  devicePixelRatio: 2,
  option: {
    title: { text: 'Sales by region' },
    legend: { bottom: 0 },
    xAxis: { type: 'category', data: ['Q1', 'Q2', 'Q3', 'Q4'] },
    yAxis: { type: 'value' },
    series: [
      { name: 'North', type: 'bar', data: [320, 302, 341, 374] },
      { name: 'South', type: 'line', smooth: true, data: [220, 182, 191, 234] },
    ],
  },
};

/** What `POST /api/charts/compare` answers (see /docs). */
interface Comparison {
  match: boolean;
  differingPixels: number;
  totalPixels: number;
  diff: string;
  actual: string;
  fingerprint: string;
}

const bytesOf = (dataUrl: string) => Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');

test('the sales chart looks as approved', async () => {
  if (process.env.UPDATE_GOLDEN) {
    const approved = await farm.render(SALES_CHART);
    await mkdir(goldenDir, { recursive: true });
    await writeFile(golden.png, approved.bytes);
    await writeFile(golden.fingerprint, `${approved.fingerprint}\n`);
    return;
  }
  // One request: the farm renders the chart and compares its decoded pixels with the golden's.
  const response = await fetch(`${farmUrl}/api/charts/compare`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ expected: (await readFile(golden.png)).toString('base64'), render: SALES_CHART }),
  });
  const { msg, data } = (await response.json()) as { msg: string; data: Comparison };
  assert.equal(response.status, 200, msg);
  if (data.match) return;
  const diffPath = join(goldenDir, 'sales-chart.diff.png');
  await writeFile(diffPath, bytesOf(data.diff));
  await writeFile(join(goldenDir, 'sales-chart.actual.png'), bytesOf(data.actual));
  const recorded = (await readFile(golden.fingerprint, 'utf8')).trim();
  const why =
    recorded === data.fingerprint
      ? 'the render fingerprint is the one the golden was made with, so the chart itself changed'
      : `the farm's render fingerprint changed (${recorded} → ${data.fingerprint}): Chromium, ECharts, fonts or flags differ`;
  assert.fail(`${data.differingPixels} of ${data.totalPixels} pixels differ from the golden (diff: ${diffPath}); ${why}. Approve the new image with UPDATE_GOLDEN=1.`);
});
