/**
 * The farm's promise: for every corpus chart and every chart of test/fixtures/fidelity, its PNG
 * equals, pixel for pixel, a screenshot of the same chart in a fresh plain Chromium page (at pixel
 * ratios 1 and 2 for the fixtures), and its SVG equals that page's SVG. The references are
 * rendered here, at test time, with nothing of the farm's renderer. The comparison is repeated after
 * the farm's single page has rendered hundreds of other charts, so state leaking between renders
 * (options, themes, sizes, timers, globals) would show.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { normalizeSvg } from '../../renderer/normalize-svg.js';
import { corpusEntries, corpusMapsDir, corpusOption } from '../helpers/corpus.js';
import { fidelityCharts, fixtureCharts, optionOf, type FidelityChart } from '../helpers/fidelity-charts.js';
import { differingPixels } from '../helpers/pixels.js';
import { ReferenceBrowser } from '../helpers/reference-browser.js';
import { request, startTestRenderer } from '../helpers/renderer.js';

const entries = corpusEntries();
/** The corpus at pixel ratio 1, the project's own charts at 1 and 2. */
const pngCases = [
  ...fidelityCharts().map((chart) => ({ chart, dpr: 1 })),
  ...fixtureCharts().map((chart) => ({ chart, dpr: 2 })),
];
const caseName = (chart: FidelityChart, dpr: number): string => `${chart.name}@${dpr}`;

describe('fidelity against a plain Chromium page, over the whole corpus', () => {
  let renderer: ChartRenderer;
  let reference: ReferenceBrowser;
  const references = new Map<string, Buffer>();
  let firstPageId: number | undefined;

  before(async () => {
    renderer = await startTestRenderer({ mapsDir: corpusMapsDir(), allowFunctions: true });
    reference = await ReferenceBrowser.launch();
    for (const { chart, dpr } of pngCases) {
      const { width, height, maps, extraWaitMs, referenceFinishedWaitMs: finishedWaitMs } = chart;
      references.set(caseName(chart, dpr), await reference.render({ option: optionOf(chart), width, height, maps, extraWaitMs, finishedWaitMs, devicePixelRatio: dpr }));
    }
  });

  after(async () => {
    await renderer?.close();
    await reference?.close();
  });

  async function assertCorpusMatches(farm: ChartRenderer = renderer): Promise<void> {
    const mismatches: string[] = [];
    for (const { chart, dpr } of pngCases) {
      const { width, height } = chart;
      const png = (await farm.render(request({ option: optionOf(chart), width, height, devicePixelRatio: dpr }))).bytes;
      const diff = differingPixels(png, references.get(caseName(chart, dpr))!);
      if (diff < 0 || diff > chart.allowedDifference) mismatches.push(`${caseName(chart, dpr)}: ${diff < 0 ? 'size differs' : `${diff} pixels differ`}`);
    }
    assert.deepEqual(mismatches, [], 'farm PNGs that differ from the plain page');
  }

  it(`renders each of the ${entries.length} corpus charts and the project's own charts with the plain page's pixels`, async () => {
    assert.ok(entries.length >= 40, 'the corpus is there');
    await assertCorpusMatches();
    firstPageId = (await renderer.render(request({ option: { series: [] }, width: 10, height: 10 }))).pageId;
  });

  it('still does after its page rendered hundreds of other charts', async () => {
    const themes = ['dark', 'vintage', 'macarons', undefined];
    const sizes = [
      { width: 320, height: 200 },
      { width: 1024, height: 700 },
      { width: 800, height: 600 },
    ];
    // Options that are scripts get a fresh page each (a page that ran a request's script serves no other): JSON options here.
    const quick = entries.filter((entry) => !entry.flags.includes('nondeterministic') && typeof corpusOption(entry) !== 'string');
    let renders = 0;
    for (let round = 0; renders < 300; round += 1) {
      for (const [i, entry] of quick.entries()) {
        const size = sizes[(i + round) % sizes.length]!;
        const theme = themes[(i + round) % themes.length];
        const type = (i + round) % 7 === 0 ? 'svg' : 'png';
        const dpr = (i + round) % 5 === 0 ? 2 : 1;
        const result = await renderer.render(request({ option: corpusOption(entry), ...size, theme, type, devicePixelRatio: dpr }));
        assert.equal(result.pageId, firstPageId, 'the same warm page did every render');
        renders += 1;
      }
    }
    await assertCorpusMatches();
    assert.equal(renderer.stats().recycles, 0);
  });

  it('gives the same pixels when PNGs are screenshots instead of canvas exports', async () => {
    const screenshots = await startTestRenderer({ mapsDir: corpusMapsDir(), allowFunctions: true, canvasExport: false });
    try {
      await assertCorpusMatches(screenshots);
    } finally {
      await screenshots.close();
    }
  });

  it("renders each corpus chart's SVG as a plain page does, counters normalised", async () => {
    const mismatches: string[] = [];
    const corpusNames = new Set(entries.map((entry) => entry.name));
    for (const chart of fidelityCharts().filter((c) => c.deterministic && corpusNames.has(c.name))) {
      const { width, height, maps, extraWaitMs, referenceFinishedWaitMs: finishedWaitMs } = chart;
      const farm = await renderer.render(request({ option: optionOf(chart), width, height, type: 'svg' }));
      const plain = await reference.render({ option: optionOf(chart), width, height, maps, renderer: 'svg', extraWaitMs, finishedWaitMs });
      // Both sides get the same renumbering of ECharts' page-wide id counters (normalize-svg.ts).
      if (farm.bytes.toString() !== normalizeSvg(plain.toString())) {
        mismatches.push(chart.name);
        if (process.env.FIDELITY_DUMP) {
          writeFileSync(join(process.env.FIDELITY_DUMP, `${chart.name}.farm.svg`), farm.bytes);
          writeFileSync(join(process.env.FIDELITY_DUMP, `${chart.name}.plain.svg`), normalizeSvg(plain.toString()));
        }
      }
    }
    assert.deepEqual(mismatches, []);
  });
});
