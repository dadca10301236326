/** A suite record for people: the tables on the terminal, and RESULTS.md beside the PNG charts. */
import { machineLine } from '../measure/machine.js';
import { formatDuration } from '../measure/progress-line.js';
import { formatMarkdownTable, formatTextTable } from '../measure/table-format.js';
import { farmLine } from './record-header.js';
import type { SectionName } from './suite-run.js';
import type { SuiteRecord } from './suite-record-shape.js';
import { pixelTable, queueTable, sectionTable, targetsTable, type Table } from './suite-tables.js';

const SECTION_TITLES: Record<SectionName, string> = {
  main: 'Every contender, concurrency sweep',
  light: 'Light mix',
  shapes: 'Pool shapes (farm in process)',
  svg: 'SVG: browser against server-side',
};

function sectionLine(record: SuiteRecord, name: SectionName): string {
  const section = record.sections[name];
  return `${section.workload} workload (${section.charts.join(', ')}); ${section.rounds} round(s) in ${formatDuration(section.measuredMs)} measured.`;
}

function versionLines(record: SuiteRecord): string[] {
  const { versions } = record;
  return [
    machineLine(record.machine),
    `Versions: Node ${versions.node}, ${versions.chromium} (${versions.chromiumPath}), ECharts ${versions.echarts}, puppeteer ${versions.puppeteer}, puppeteer-cluster ${versions.puppeteerCluster}.`,
    farmLine(versions.farm),
  ];
}

function svgLine(record: SuiteRecord): string {
  return `Server-side SVG equal to the browser's (counters normalised): ${record.svg.identical} of ${record.svg.charts} charts (not expected: text is measured differently in Node).`;
}

function queueLine(record: SuiteRecord): string {
  return record.queue
    ? `From \`npm run bench:queue\` of ${record.queue.date} (${record.queue.record}); tasks accepted per second with no worker, and the latency a task adds over a direct render.`
    : 'No `npm run bench:queue` record in bench/results/: run it for the queue figures.';
}

export function formatSuiteConsole(record: SuiteRecord): string {
  const table = (t: Table) => formatTextTable(t.header, t.rows, t.numericFrom);
  const sections = (Object.keys(SECTION_TITLES) as SectionName[]).flatMap((name) => [
    '',
    `${SECTION_TITLES[name]}: ${sectionLine(record, name)}`,
    ...table(sectionTable(record.sections[name])),
  ]);
  return [
    `bench suite (${record.settings.plan.mode}), ${record.date}, ${formatDuration(record.wallMs)} in all`,
    '',
    ...table(targetsTable(record.targets)),
    ...sections,
    svgLine(record),
    '',
    'Pixel check against the limit:',
    ...table(pixelTable(record)),
    '',
    queueLine(record),
    ...(record.queue ? table(queueTable(record.queue)) : []),
    '',
    ...versionLines(record),
  ].join('\n');
}

export interface MarkdownLinks {
  readme: string;
  json: string;
  throughputPng: string;
  p95Png: string;
}

export function formatSuiteMarkdown(record: SuiteRecord, links: MarkdownLinks): string {
  const table = (t: Table) => formatMarkdownTable(t.header, t.rows, t.numericFrom);
  const sections = (Object.keys(SECTION_TITLES) as SectionName[]).flatMap((name) => [
    `## ${SECTION_TITLES[name]}`,
    '',
    sectionLine(record, name),
    '',
    ...table(sectionTable(record.sections[name])),
    '',
    ...(name === 'main' ? [`![throughput against concurrency](${links.throughputPng})`, '', `![p95 against concurrency](${links.p95Png})`, ''] : []),
    ...(name === 'svg' ? [svgLine(record), ''] : []),
  ]);
  return [
    `# Benchmark results (${record.date}, ${record.settings.plan.mode} run)`,
    '',
    `Latest run of \`npm run bench\`. How to read it: [bench/README.md](${links.readme}). Full record: [${links.json}](${links.json}). ` +
      'The host is shared and noisy: compare ratios within this run, not absolute figures between runs.',
    '',
    '## Targets',
    '',
    ...table(targetsTable(record.targets)),
    '',
    ...sections,
    '## Pixel check against the limit',
    '',
    ...table(pixelTable(record)),
    '',
    '## Task queue',
    '',
    queueLine(record),
    '',
    ...(record.queue ? [...table(queueTable(record.queue)), ''] : []),
    '## Machine and versions',
    '',
    ...versionLines(record).map((line) => `- ${line}`),
    ...record.settings.contenders.map((contender) => `- \`${contender.id}\`: ${contender.label}`),
    '',
  ].join('\n');
}
