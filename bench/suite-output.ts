/**
 * Where a suite run's files go. A full run: bench/RESULTS.md (the latest run) and, in
 * bench/results/, `suite-<date>.json` and the two PNG charts. `--quick` and `--smoke` write the same
 * files into bench/results/quick/ (ignored by git), so a trial never replaces a full run; `--out
 * <dir>` writes all of them into <dir>.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import { recordJson, writeResultFiles } from '../measure/result-files.js';
import type { SuiteFigures } from './suite-figures.js';
import type { SuiteRecord } from './suite-record-shape.js';
import { formatSuiteMarkdown } from './suite-report.js';

export interface SuiteFiles {
  json: string;
  markdown: string;
  pngs: string[];
}

export function writeSuiteFiles(record: SuiteRecord, figures: SuiteFigures, benchDir: string, outDir: string | undefined): SuiteFiles {
  const markdownDir = outDir !== undefined ? resolve(outDir) : record.settings.plan.mode === 'full' ? benchDir : join(benchDir, 'results', 'quick');
  const dataDir = outDir !== undefined || record.settings.plan.mode !== 'full' ? markdownDir : join(benchDir, 'results');
  const names = { json: `suite-${record.date}.json`, throughput: 'suite-throughput.png', p95: 'suite-p95.png' };
  const link = (name: string) => {
    const path = relative(markdownDir, join(dataDir, name));
    return isAbsolute(path) ? path : path.split('\\').join('/');
  };
  const [json, throughput, p95] = writeResultFiles(dataDir, [
    { name: names.json, text: recordJson(record) },
    { name: names.throughput, text: figures.throughputPng },
    { name: names.p95, text: figures.p95Png },
  ]);
  const markdown = formatSuiteMarkdown(record, {
    readme: relative(markdownDir, join(benchDir, 'README.md')),
    json: link(names.json),
    throughputPng: link(names.throughput),
    p95Png: link(names.p95),
  });
  const [markdownPath] = writeResultFiles(markdownDir, [{ name: 'RESULTS.md', text: markdown }]);
  return { json: json!, markdown: markdownPath!, pngs: [throughput!, p95!] };
}
