/**
 * The typed client: render a chart now, queue one and wait for it, and handle a refusal by its
 * reason. Run with `FARM_URL=http://localhost:3000 OUT_DIR=. npx tsx examples/typescript/render-and-wait.ts`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FarmApiError, FarmClient, type ChartSpec } from 'echarts-farm/client';

const farm = new FarmClient({
  baseUrl: process.env.FARM_URL ?? 'http://localhost:3000',
  // A farm behind a gateway that wants credentials: apiKey is sent as X-API-Key, token as a bearer JWT.
  ...(process.env.FARM_API_KEY ? { apiKey: process.env.FARM_API_KEY } : {}),
});
const outDir = process.env.OUT_DIR ?? '.';

const chart: ChartSpec = {
  type: 'png',
  width: 600,
  height: 400,
  option: {
    title: { text: 'Weekly sales' },
    xAxis: { type: 'category', data: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: [120, 200, 150, 80, 70] }],
  },
};

// 1. Synchronous: the image comes back in the answer.
const now = await farm.render(chart);
await writeFile(join(outDir, 'chart-sync.png'), now.bytes);
console.log(`rendered chart-sync.png (${now.contentType}, fingerprint ${now.fingerprint})`);

// 2. Queued: submit answers at once; wait follows the task's events (polling if a proxy refuses them).
const submitted = await farm.submit({ ...chart, type: 'svg' });
const task = await farm.wait(submitted.taskId, { timeoutMs: 60_000, onStatus: (seen) => console.log(`task ${seen.taskId}: ${seen.status}`) });
if (task.status !== 'completed') throw new Error(`task ${task.taskId} ${task.status}: ${task.error?.message}`);
const svg = await farm.image(task.taskId);
await writeFile(join(outDir, 'chart-task.svg'), svg.bytes);
console.log(`fetched chart-task.svg (${svg.bytes.length} bytes)`);

// 3. Refusals are typed: branch on the stable reason, not on the message.
try {
  await farm.render({ ...chart, width: 0 });
} catch (error) {
  if (!(error instanceof FarmApiError) || error.reason !== 'INVALID_REQUEST') throw error;
  console.log(`refused as expected: ${error.status} ${error.reason}: ${error.message}`);
}
