/** Turns the outcomes of an export into its one file: a PDF report or a ZIP with a manifest. */
import type { ExportJob } from './export-job.js';
import type { ChartOutcome } from './export-render.js';
import { composePdfReport } from './pdf-report.js';
import { composeZipReport, type ExportManifest, exportManifest } from './zip-report.js';

export interface ReportFile {
  bytes: Buffer;
  contentType: string;
  /** `pdf` or `zip`. */
  extension: ExportJob['format'];
  manifest: ExportManifest;
}

export const REPORT_CONTENT_TYPES: Record<ExportJob['format'], string> = { pdf: 'application/pdf', zip: 'application/zip' };

/** Builds the export's file from its rendered charts. */
export async function composeReport(job: ExportJob, outcomes: readonly ChartOutcome[]): Promise<ReportFile> {
  const manifest = exportManifest(job, outcomes);
  const bytes = job.format === 'pdf' ? await composePdfReport(job.layout, outcomes) : composeZipReport(manifest, outcomes);
  return { bytes, contentType: REPORT_CONTENT_TYPES[job.format], extension: job.format, manifest };
}
