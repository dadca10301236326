/**
 * Determinism: every corpus chart gives the same bytes on every render, on a warm page that drew the
 * whole corpus in between and after a browser restart. The corpus flags two charts as
 * nondeterministic in a plain page: a force graph (random initial layout, stepped on a timer) and an
 * effect scatter (ripples on the wall clock); seeded Math.random, force layouts run to their end and
 * the page's own animation clock make both repeatable. The seed and the frozen clock are set anew on
 * each render, so nothing leaks from one chart into the next.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import type { RenderFields } from '../../renderer/render-request.js';
import { corpusEntries, corpusMapsDir, corpusOption, type CorpusEntry } from '../helpers/corpus.js';
import { request, startTestRenderer } from '../helpers/renderer.js';

const entries = corpusEntries();
const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** Each chart's PNG digest; the effect scatter's capture comes after `finishedWaitMs`, which differs per renderer. */
async function renderCorpus(renderer: ChartRenderer, order: CorpusEntry[]): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const entry of order) {
    const result = await renderer.render(request({ option: corpusOption(entry), ...entry.size }));
    digests.set(entry.name, sha(result.bytes));
  }
  return digests;
}

function differing(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...a.keys()].filter((name) => a.get(name) !== b.get(name));
}

/** A chart whose title shows what the option script saw of the clock and of Math.random. */
const CLOCK_SCRIPT = `var option = {
  title: { text: new Date().toISOString() + ' ' + Date.now() + ' ' + Math.random() },
  series: []
};`;

async function titleOf(renderer: ChartRenderer, fields: Partial<RenderFields> = {}): Promise<string> {
  const svg = (await renderer.render(request({ option: CLOCK_SCRIPT, type: 'svg', width: 500, height: 80, ...fields }))).bytes.toString();
  const title = /<text[^>]*>([^<]*)<\/text>/.exec(svg)?.[1];
  assert.ok(title, 'the title is in the SVG');
  return title;
}

describe('determinism', () => {
  let renderer: ChartRenderer;
  let first: Map<string, string>;

  before(async () => {
    renderer = await startTestRenderer({ mapsDir: corpusMapsDir(), allowFunctions: true, finishedWaitMs: 1_000 });
    first = await renderCorpus(renderer, entries);
  });
  after(() => renderer?.close());

  it('the corpus flags a force graph and an effect scatter as nondeterministic in a plain page', () => {
    const flagged = entries.filter((entry) => entry.flags.includes('nondeterministic')).map((entry) => entry.name);
    assert.ok(flagged.includes('gallery.graph-force2') && flagged.includes('gallery.scatter-effect'), flagged.join(', '));
  });

  it('renders every corpus chart to the same bytes again on the warm page, after it drew the whole corpus', async () => {
    const again = await renderCorpus(renderer, [...entries].reverse());
    assert.deepEqual(differing(first, again), []);
  });

  it('renders every corpus chart to the same bytes after a browser restart, capturing looping effects later', async () => {
    await renderer.close();
    // Another browser, and effects captured 2.5 s after setOption instead of 1 s: the clock that
    // drives them is the page's own, not the wall clock.
    renderer = await startTestRenderer({ mapsDir: corpusMapsDir(), allowFunctions: true, finishedWaitMs: 2_500 });
    const restarted = await renderCorpus(renderer, entries);
    assert.deepEqual(differing(first, restarted), []);
  });

  it('draws a force graph after the seed: another seed, another layout; the same seed, the same one', async () => {
    const force = entries.find((entry) => entry.name === 'gallery.graph-force2')!;
    const withSeed = async (seed?: number) => sha((await renderer.render(request({ option: corpusOption(force), ...force.size, seed }))).bytes);
    const seven = await withSeed(7);
    assert.notEqual(seven, first.get(force.name), 'seed 7 lays the graph out otherwise than the default seed');
    assert.equal(await withSeed(7), seven);
    assert.equal(await withSeed(), first.get(force.name), 'no seed is the default seed');
  });

  it('freezes Date at frozenTime for that render only, and seeds Math.random afresh on every render', async () => {
    const frozen = await titleOf(renderer, { frozenTime: '2024-01-15T12:00:00Z' });
    assert.match(frozen, /^2024-01-15T12:00:00\.000Z 1705320000000 0\.\d+$/);
    const random = frozen.split(' ')[2];
    const free = await titleOf(renderer);
    assert.doesNotMatch(free, /^2024-01-15/, 'the next render reads the real clock again');
    assert.ok(Math.abs(Date.parse(free.split(' ')[0]!) - Date.now()) < 60_000);
    assert.equal(free.split(' ')[2], random, 'the default seed starts the same sequence on every render');
    assert.notEqual((await titleOf(renderer, { seed: 1 })).split(' ')[2], random);
  });

  it('seeds the server-side engine the same way', async () => {
    const force = entries.find((entry) => entry.name === 'gallery.graph-force2')!;
    const ssr = async (seed?: number) =>
      (await renderer.render(request({ option: corpusOption(force), ...force.size, type: 'svg', renderer: 'ssr', seed }))).bytes.toString();
    const once = await ssr();
    assert.equal(await ssr(), once);
    assert.notEqual(await ssr(7), once);
    // The same seed gives the browser's layout: its first edge, in the engine's coarser precision.
    const browser = (await renderer.render(request({ option: corpusOption(force), ...force.size, type: 'svg' }))).bytes.toString();
    const firstEdge = (svg: string) => /<path d="M([\d.]+) ([\d.]+)L([\d.]+) ([\d.]+)"/.exec(svg)!.slice(1).map(Number);
    for (const [index, value] of firstEdge(browser).entries()) assert.ok(Math.abs(value - firstEdge(once)[index]!) <= 0.05, `${firstEdge(browser)} ~ ${firstEdge(once)}`);
  });
});
