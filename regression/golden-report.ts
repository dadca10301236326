/**
 * The files a golden check leaves for people and CI: `result.json` (the GoldenResult as it is) and
 * `report.html`, one page that shows reference, actual and diff side by side for every chart that
 * did not pass. The HTML refers to the images kept beside it (`images/`), so the report folder can be
 * archived as a CI artifact and opened anywhere.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeDifference } from '../renderer/image-compare.js';
import type { GoldenEntry, GoldenResult, GoldenStatus } from './golden-check.js';
import { describeSvgDifference } from './svg-diff.js';

/** Where `writeGoldenReport` put its files. */
export interface GoldenReportFiles {
  json: string;
  html: string;
}

/** Writes `result.json` and `report.html` into `result.reportDir`. */
export async function writeGoldenReport(result: GoldenResult): Promise<GoldenReportFiles> {
  const files = { json: join(result.reportDir, 'result.json'), html: join(result.reportDir, 'report.html') };
  await writeFile(files.json, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(files.html, goldenReportHtml(result));
  return files;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

/** A path of the report folder as an attribute value: each segment URL-encoded, then escaped. */
const imageSrc = (relative: string): string => escapeHtml(relative.split('/').map(encodeURIComponent).join('/'));

const NEEDS_ATTENTION: GoldenStatus[] = ['fail', 'missing', 'error'];

/** One line on what became of a chart. */
export function describeEntry(entry: GoldenEntry): string {
  if (entry.size) return `size differs: golden ${entry.size.expected.width}x${entry.size.expected.height}, render ${entry.size.actual.width}x${entry.size.actual.height}`;
  if (entry.differingPixels !== undefined && entry.totalPixels !== undefined && entry.share !== undefined) {
    const allowance = entry.allowedShare ? `, ${(entry.allowedShare * 100).toPrecision(2)}% allowed` : '';
    return `${describeDifference({ differingPixels: entry.differingPixels, totalPixels: entry.totalPixels, share: entry.share })} differ${allowance}`;
  }
  if (entry.svg) {
    const where = entry.svg.firstDifference ? `; first: ${describeSvgDifference(entry.svg.firstDifference, { expected: 'golden', actual: 'render' })}` : '';
    return `${entry.svg.differingElements} of ${entry.svg.elements.expected} elements differ${where}`;
  }
  return entry.message ?? '';
}

function figure(src: string | undefined, caption: string, absent = 'none'): string {
  const body = src ? `<a href="${imageSrc(src)}"><img src="${imageSrc(src)}" alt="${escapeHtml(caption)}"></a>` : `<div class="none">${escapeHtml(absent)}</div>`;
  return `<figure>${body}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

/** Why a mismatch has no diff image. */
function diffAbsence(entry: GoldenEntry): string {
  if (entry.size) return 'no diff: the sizes differ';
  if (entry.type === 'svg') return 'no diff image for SVG: see the first difference above';
  return 'none';
}

function mismatchSection(entry: GoldenEntry): string {
  const images = entry.images ?? {};
  const triptych =
    entry.status === 'error'
      ? ''
      : `<div class="triptych">${figure(images.expected, 'reference (golden)', 'no golden yet')}${figure(images.actual, 'actual (this render)')}${figure(images.diff, 'diff (red: differing pixels)', diffAbsence(entry))}</div>`;
  return `<article id="${escapeHtml(entry.name)}">
<h2>${escapeHtml(entry.name)} <span class="status ${entry.status}">${entry.status}</span></h2>
<p class="what">${escapeHtml(describeEntry(entry))}</p>
<p class="files">${escapeHtml(entry.option)} → ${escapeHtml(entry.golden)}</p>
${triptych}
</article>`;
}

function summaryRow(entry: GoldenEntry): string {
  const name = NEEDS_ATTENTION.includes(entry.status) ? `<a href="#${escapeHtml(entry.name)}">${escapeHtml(entry.name)}</a>` : escapeHtml(entry.name);
  return `<tr><td>${name}</td><td><span class="status ${entry.status}">${entry.status}</span></td><td>${entry.type}</td><td>${escapeHtml(describeEntry(entry))}</td><td class="number">${entry.renderMs ?? ''}</td></tr>`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #1d2129; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 0 0 4px; }
.meta, .files { color: #5c6370; margin: 2px 0; } .files { font-size: 12px; }
.verdict { padding: 2px 10px; border-radius: 4px; color: #fff; font-size: 14px; vertical-align: middle; }
.verdict.passed { background: #2e9e5b; } .verdict.failed { background: #d9363e; }
.notice { background: #fff6e0; border-left: 4px solid #e6a700; padding: 8px 12px; margin: 12px 0; }
.counts span { margin-right: 14px; }
article { border: 1px solid #e3e6ea; border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
.triptych { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; margin-top: 8px; }
figure { margin: 0; } figure img { width: 100%; border: 1px solid #d0d4da; display: block; }
figcaption { color: #5c6370; font-size: 12px; margin-top: 4px; text-align: center; }
.none { border: 1px dashed #d0d4da; padding: 40px 0; text-align: center; color: #9aa0a8; }
table { border-collapse: collapse; width: 100%; margin-top: 8px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eceef1; vertical-align: top; }
td.number { text-align: right; }
.status { font-size: 12px; padding: 1px 7px; border-radius: 10px; background: #eceef1; }
.status.pass, .status.created, .status.updated { background: #dff3e6; color: #1f6e3f; }
.status.fail, .status.missing, .status.error { background: #fde2e3; color: #a4262c; }
.status.skipped { background: #eceef1; color: #5c6370; }
`;

/** The report page of `result`, images referred to relative to the report folder. */
export function goldenReportHtml(result: GoldenResult): string {
  const attention = result.entries.filter((entry) => NEEDS_ATTENTION.includes(entry.status));
  const counts = (Object.entries(result.counts) as [GoldenStatus, number][])
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `<span><b>${count}</b> ${status}</span>`)
    .join('');
  const fingerprint = result.fingerprint;
  const drift = result.goldenFingerprint
    ? `<p class="notice">The goldens were made under render fingerprint <b>${escapeHtml(result.goldenFingerprint)}</b>; this run is <b>${escapeHtml(fingerprint.hash)}</b>. ${result.goldenFingerprintDiffers ? `They differ in: <b>${escapeHtml(result.goldenFingerprintDiffers.join(', '))}</b>` : 'Chromium, ECharts, the fonts, the flags or the chart page changed since'}: differences may be drift rather than changes of the charts.</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Golden check ${result.passed ? 'passed' : 'failed'}: ${escapeHtml(result.dir)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Golden check <span class="verdict ${result.passed ? 'passed' : 'failed'}">${result.passed ? 'passed' : 'failed'}</span></h1>
<p class="meta">${escapeHtml(result.dir)} · ${escapeHtml(result.startedAt)} · ${(result.durationMs / 1000).toFixed(1)} s${result.update ? ' · --update' : ''}</p>
<p class="meta">render fingerprint ${escapeHtml(fingerprint.hash)} · Chromium ${escapeHtml(fingerprint.chromium)} · ECharts ${escapeHtml(fingerprint.echarts)}</p>
${drift}
<p class="counts">${counts}</p>
${attention.map(mismatchSection).join('\n')}
<h2>All charts</h2>
<table>
<thead><tr><th>chart</th><th>result</th><th>type</th><th>details</th><th>render ms</th></tr></thead>
<tbody>
${result.entries.map(summaryRow).join('\n')}
</tbody>
</table>
</body>
</html>
`;
}
