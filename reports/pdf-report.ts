/**
 * The PDF form of an export. Charts rendered as PDF are placed as vector pages, PNG and JPEG charts
 * as images. With one column and one row each chart gets a page of its own size, drawn at 1:1, so a
 * page shows what the single render shows; a grid scales the charts into equal cells of a fixed page.
 * A chart that failed (with `partial`) gets a box that names its error where it would have been.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { ExportLayout } from './export-job.js';
import type { ChartOutcome } from './export-render.js';

/** PDF points per CSS pixel (72 per inch against 96). */
const POINTS_PER_PX = 0.75;
/** A4 landscape in CSS pixels: the grid's page when the layout names none. */
const DEFAULT_GRID_PAGE = { width: 1123, height: 794 } as const;
const MARGIN_PT = 24;
const GAP_PT = 12;
const TITLE_BAND_PT = 22;
const TITLE_SIZE_PT = 12;
const ERROR_TEXT_PT = 10;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The standard PDF fonts draw Latin-1 only: anything else shows as `?` instead of failing the report. */
function drawable(text: string): string {
  return [...text].map((char) => (/^[\x20-\x7e\xa0-\xff]$/.test(char) ? char : '?')).join('');
}

/** Cuts `text` so that it fits `width` at `size`, with an ellipsis when cut. */
function fitted(text: string, font: PDFFont, size: number, width: number): string {
  const clean = drawable(text);
  if (font.widthOfTextAtSize(clean, size) <= width) return clean;
  let end = clean.length;
  while (end > 0 && font.widthOfTextAtSize(`${clean.slice(0, end)}...`, size) > width) end -= 1;
  return `${clean.slice(0, end)}...`;
}

/** Splits `text` into lines no wider than `width`. */
function wrapped(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of drawable(text).split(/\s+/)) {
    const next = line === '' ? word : `${line} ${word}`;
    if (line !== '' && font.widthOfTextAtSize(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Fits a chart of `width × height` into `cell`, keeping its proportions, centred. */
function fitInto(cell: Box, width: number, height: number): Box {
  const scale = Math.min(cell.width / width, cell.height / height);
  const drawnWidth = width * scale;
  const drawnHeight = height * scale;
  return { x: cell.x + (cell.width - drawnWidth) / 2, y: cell.y + (cell.height - drawnHeight) / 2, width: drawnWidth, height: drawnHeight };
}

async function drawChart(doc: PDFDocument, page: PDFPage, outcome: ChartOutcome, box: Box, font: PDFFont): Promise<void> {
  if (outcome.status === 'failed') {
    page.drawRectangle({ ...box, color: rgb(0.97, 0.95, 0.95), borderColor: rgb(0.8, 0.2, 0.2), borderWidth: 1 });
    const lines = [
      `Chart ${outcome.chart.index + 1} failed: ${outcome.error.reason}`,
      ...wrapped(outcome.error.message, font, ERROR_TEXT_PT, box.width - 16),
    ].slice(0, Math.max(1, Math.floor((box.height - 16) / (ERROR_TEXT_PT * 1.4))));
    lines.forEach((line, row) => {
      page.drawText(fitted(line, font, ERROR_TEXT_PT, box.width - 16), {
        x: box.x + 8,
        y: box.y + box.height - 8 - (row + 1) * ERROR_TEXT_PT * 1.4,
        size: ERROR_TEXT_PT,
        font,
        color: rgb(0.6, 0.1, 0.1),
      });
    });
    return;
  }
  const { bytes } = outcome.result;
  switch (outcome.chart.render.type) {
    case 'pdf': {
      const [embedded] = await doc.embedPdf(bytes, [0]);
      page.drawPage(embedded!, box);
      return;
    }
    case 'jpeg':
      page.drawImage(await doc.embedJpg(bytes), box);
      return;
    default:
      page.drawImage(await doc.embedPng(bytes), box);
  }
}

function drawTitle(page: PDFPage, title: string, band: Box, font: PDFFont): void {
  page.drawText(fitted(title, font, TITLE_SIZE_PT, band.width), {
    x: band.x,
    y: band.y + (band.height - TITLE_SIZE_PT) / 2 + 2,
    size: TITLE_SIZE_PT,
    font,
    color: rgb(0.1, 0.1, 0.1),
  });
}

/** One chart per page, the page the chart's size plus a title band when it has a title. */
async function composePages(doc: PDFDocument, outcomes: readonly ChartOutcome[], font: PDFFont): Promise<void> {
  for (const outcome of outcomes) {
    const width = outcome.chart.render.width * POINTS_PER_PX;
    const height = outcome.chart.render.height * POINTS_PER_PX;
    const band = outcome.chart.title !== undefined ? TITLE_BAND_PT : 0;
    const page = doc.addPage([width, height + band]);
    if (outcome.chart.title !== undefined) drawTitle(page, outcome.chart.title, { x: 8, y: height, width: width - 16, height: band }, font);
    await drawChart(doc, page, outcome, { x: 0, y: 0, width, height }, font);
  }
}

/** `columns × rows` charts per page of a fixed size, each scaled into its cell under its title. */
async function composeGrid(doc: PDFDocument, layout: ExportLayout, outcomes: readonly ChartOutcome[], font: PDFFont): Promise<void> {
  const pageWidth = (layout.pageWidth ?? DEFAULT_GRID_PAGE.width) * POINTS_PER_PX;
  const pageHeight = (layout.pageHeight ?? DEFAULT_GRID_PAGE.height) * POINTS_PER_PX;
  const perPage = layout.columns * layout.rows;
  const cellWidth = (pageWidth - 2 * MARGIN_PT - (layout.columns - 1) * GAP_PT) / layout.columns;
  const cellHeight = (pageHeight - 2 * MARGIN_PT - (layout.rows - 1) * GAP_PT) / layout.rows;
  const band = outcomes.some((outcome) => outcome.chart.title !== undefined) ? TITLE_BAND_PT : 0;
  let page: PDFPage | undefined;
  for (const [position, outcome] of outcomes.entries()) {
    const slot = position % perPage;
    if (slot === 0) page = doc.addPage([pageWidth, pageHeight]);
    const column = slot % layout.columns;
    const row = Math.floor(slot / layout.columns);
    const x = MARGIN_PT + column * (cellWidth + GAP_PT);
    const top = pageHeight - MARGIN_PT - row * (cellHeight + GAP_PT);
    if (outcome.chart.title !== undefined) drawTitle(page!, outcome.chart.title, { x, y: top - band, width: cellWidth, height: band }, font);
    const area = { x, y: top - cellHeight, width: cellWidth, height: cellHeight - band };
    await drawChart(doc, page!, outcome, fitInto(area, outcome.chart.render.width, outcome.chart.render.height), font);
  }
}

/** The report as PDF bytes. */
export async function composePdfReport(layout: ExportLayout, outcomes: readonly ChartOutcome[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setProducer('echarts-farm');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const grid = layout.columns * layout.rows > 1 || layout.pageWidth !== undefined || layout.pageHeight !== undefined;
  if (grid) await composeGrid(doc, layout, outcomes, font);
  else await composePages(doc, outcomes, font);
  return Buffer.from(await doc.save());
}
