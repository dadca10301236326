/**
 * The queue figures of the suite come from `npm run bench:queue`, which measures them on its own
 * (bench/README.md): the suite reads the newest full record of it in bench/results/.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QueueReport } from './queue-report.js';

export interface QueueFigures {
  /** The record read, relative to bench/. */
  record: string;
  date: string;
  /** Tasks accepted per second by `POST /api/charts/generate`, workers paused, per requests in flight. */
  accepted: { concurrency: number; memory: number; redis: number }[];
  /** Latency a task adds over a direct render (task p50/p95 minus direct p50/p95). */
  added: { backend: 'memory' | 'redis'; p50Ms: number; p95Ms: number }[];
}

/** The newest `queue-<date>.json` of `resultsDir`, or undefined when there is none. */
export function latestQueueFigures(resultsDir: string): QueueFigures | undefined {
  if (!existsSync(resultsDir)) return undefined;
  const name = readdirSync(resultsDir)
    .filter((file) => /^queue-\d{4}-\d{2}-\d{2}\.json$/.test(file))
    .sort()
    .at(-1);
  if (!name) return undefined;
  const report = JSON.parse(readFileSync(join(resultsDir, name), 'utf8')) as QueueReport;
  return {
    record: `results/${name}`,
    date: report.date,
    accepted: report.accept.map((row) => ({ concurrency: row.concurrency, memory: row.memory.acceptedPerSecond, redis: row.redis.acceptedPerSecond })),
    added: report.latency.map((figures) => ({ backend: figures.backend, p50Ms: figures.addedP50Ms, p95Ms: figures.addedP95Ms })),
  };
}
