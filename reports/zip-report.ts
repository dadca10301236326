/** The ZIP form of an export: one image per chart and `manifest.json` saying how each chart went. */
import { zipSync, type Zippable } from 'fflate';
import { fileNameFor } from '../storage/file-names.js';
import type { ImageType } from '../renderer/render-request.js';
import type { ExportJob } from './export-job.js';
import type { ChartFailure, ChartOutcome } from './export-render.js';

export interface ManifestChart {
  index: number;
  title: string | null;
  status: 'completed' | 'failed';
  /** The chart's file in the archive; null when it failed. */
  file: string | null;
  type: ImageType;
  width: number;
  height: number;
  devicePixelRatio: number;
  /** Bytes of the chart's file; null when it failed. */
  bytes: number | null;
  /** Render fingerprint hash of the page that drew it; null when it failed. */
  fingerprint: string | null;
  error: ChartFailure | null;
}

export interface ExportManifest {
  format: ExportJob['format'];
  completed: number;
  failed: number;
  charts: ManifestChart[];
}

/** `chart-01.png`: numbered from 1, zero-padded so archive listings sort in request order. */
function chartFileName(index: number, count: number, type: ManifestChart['type']): string {
  const digits = String(count).length;
  return fileNameFor(`chart-${String(index + 1).padStart(Math.max(2, digits), '0')}`, type);
}

export function exportManifest(job: ExportJob, outcomes: readonly ChartOutcome[]): ExportManifest {
  const charts = outcomes.map((outcome): ManifestChart => {
    const { chart } = outcome;
    const completed = outcome.status === 'completed';
    return {
      index: chart.index,
      title: chart.title ?? null,
      status: outcome.status,
      file: completed && job.format === 'zip' ? chartFileName(chart.index, job.charts.length, chart.render.type) : null,
      type: chart.render.type,
      width: chart.render.width,
      height: chart.render.height,
      devicePixelRatio: chart.render.devicePixelRatio,
      bytes: completed ? outcome.result.bytes.length : null,
      fingerprint: completed ? outcome.result.fingerprint.hash : null,
      error: completed ? null : outcome.error,
    };
  });
  const completed = charts.filter((chart) => chart.status === 'completed').length;
  return { format: job.format, completed, failed: charts.length - completed, charts };
}

/** The archive: images stored as they are (they are compressed already), the manifest deflated. */
export function composeZipReport(manifest: ExportManifest, outcomes: readonly ChartOutcome[]): Buffer {
  const entries: Zippable = { 'manifest.json': new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`) };
  outcomes.forEach((outcome, position) => {
    const file = manifest.charts[position]?.file;
    if (outcome.status === 'completed' && file) entries[file] = [new Uint8Array(outcome.result.bytes), { level: 0 }];
  });
  return Buffer.from(zipSync(entries, { level: 6 }));
}
