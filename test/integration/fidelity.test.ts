/**
 * The farm's promise: for every corpus chart, its PNG equals, pixel for pixel, a screenshot of the
 * same chart in a fresh plain Chromium page, and its SVG equals that page's SVG. The references are
 * rendered here, at test time, with nothing of the farm's renderer. The comparison is repeated after
 * the farm's single page has rendered hundreds of other charts, so state leaking between renders
 * (options, themes, sizes, timers, globals) would show.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { normalizeSvg } from '../../renderer/normalize-svg.js';
import { corpusDir, corpusEntries, corpusMapsDir, corpusOption, type CorpusEntry } from '../helpers/corpus.js';
import { differingPixels } from '../helpers/pixels.js';
import { ReferenceBrowser } from '../helpers/reference-browser.js';
import { request, startTestRenderer } from '../helpers/renderer.js';

const entries = corpusEntries();

function mapsOf(entry: CorpusEntry): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(entry.maps ?? {}).map(([name, file]) => [name, JSON.parse(readFileSync(join(corpusDir, file), 'utf8'))]),
  );
}

/** The corpus README's reference waits 400 ms more for inlined images (they load asynchronously). */
function extraWaitMs(entry: CorpusEntry): number {
  return entry.flags.includes('inlined-images') ? 400 : 0;
}

/** Entries whose layout uses randomness differ between two plain renders too: allow that much. */
function allowedDifference(entry: CorpusEntry): number {
  if (entry.render.deterministic) return 0;
  return Math.max(4 * (entry.render.diffPixels ?? 0), Math.round(0.1 * entry.size.width * entry.size.height));
}

async function farmPng(renderer: ChartRenderer, entry: CorpusEntry): Promise<Buffer> {
  const result = await renderer.render(request({ option: corpusOption(entry), ...entry.size }));
  return result.bytes;
}

describe('fidelity against a plain Chromium page, over the whole corpus', () => {
  let renderer: ChartRenderer;
  let reference: ReferenceBrowser;
  const references = new Map<string, Buffer>();
  let firstPageId: number | undefined;

  before(async () => {
    renderer = await startTestRenderer({ mapsDir: corpusMapsDir(), allowFunctions: true });
    reference = await ReferenceBrowser.launch();
    for (const entry of entries) {
      references.set(entry.name, await reference.render({ option: corpusOption(entry), ...entry.size, maps: mapsOf(entry), extraWaitMs: extraWaitMs(entry) }));
    }
  });

  after(async () => {
    await renderer?.close();
    await reference?.close();
  });

  async function assertCorpusMatches(farm: ChartRenderer = renderer): Promise<void> {
    const mismatches: string[] = [];
    for (const entry of entries) {
      const png = await farmPng(farm, entry);
      const diff = differingPixels(png, references.get(entry.name)!);
      if (diff < 0 || diff > allowedDifference(entry)) mismatches.push(`${entry.name}: ${diff < 0 ? 'size differs' : `${diff} pixels differ`}`);
    }
    assert.deepEqual(mismatches, [], 'farm PNGs that differ from the plain page');
  }

  it(`renders each of the ${entries.length} corpus charts with the plain page's pixels`, async () => {
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
    const quick = entries.filter((entry) => !entry.flags.includes('nondeterministic'));
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
    for (const entry of entries.filter((e) => e.render.deterministic)) {
      const farm = await renderer.render(request({ option: corpusOption(entry), ...entry.size, type: 'svg' }));
      const plain = await reference.render({
        option: corpusOption(entry),
        ...entry.size,
        maps: mapsOf(entry),
        renderer: 'svg',
        extraWaitMs: extraWaitMs(entry),
      });
      // Both sides get the same renumbering of ECharts' page-wide id counters (normalize-svg.ts).
      if (farm.bytes.toString() !== normalizeSvg(plain.toString())) {
        mismatches.push(entry.name);
        if (process.env.FIDELITY_DUMP) {
          writeFileSync(join(process.env.FIDELITY_DUMP, `${entry.name}.farm.svg`), farm.bytes);
          writeFileSync(join(process.env.FIDELITY_DUMP, `${entry.name}.plain.svg`), normalizeSvg(plain.toString()));
        }
      }
    }
    assert.deepEqual(mismatches, []);
  });
});
