/** Output formats, pixel ratios, backgrounds and themes, checked in the images themselves. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FarmError } from '../../errors/farm-error.js';
import { packageRoot } from '../../renderer/package-root.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { corpusEntries, corpusOption } from '../helpers/corpus.js';
import { decodePng, differingPixels } from '../helpers/pixels.js';
import { ReferenceBrowser } from '../helpers/reference-browser.js';
import { BAR_OPTION, request, startTestRenderer } from '../helpers/renderer.js';

function pixelAt(png: Buffer, x: number, y: number): [number, number, number, number] {
  const image = decodePng(png);
  const i = (y * image.width + x) * 4;
  return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!, image.data[i + 3]!];
}

describe('formats', () => {
  let renderer: ChartRenderer;
  before(async () => {
    renderer = await startTestRenderer({ themesDir: join(packageRoot(), 'test', 'fixtures', 'themes'), allowFunctions: true });
  });
  after(() => renderer?.close());

  it('writes each format with its content type and signature', async () => {
    const signatures = {
      png: ['image/png', (b: Buffer) => b.subarray(1, 4).toString() === 'PNG'],
      jpeg: ['image/jpeg', (b: Buffer) => b[0] === 0xff && b[1] === 0xd8],
      webp: ['image/webp', (b: Buffer) => b.subarray(8, 12).toString() === 'WEBP'],
      svg: ['image/svg+xml', (b: Buffer) => b.toString().startsWith('<svg')],
      pdf: ['application/pdf', (b: Buffer) => b.subarray(0, 5).toString() === '%PDF-'],
    } as const;
    for (const [type, [contentType, looksRight]] of Object.entries(signatures)) {
      const result = await renderer.render(request({ option: BAR_OPTION, type: type as keyof typeof signatures }));
      assert.equal(result.contentType, contentType);
      assert.ok(looksRight(result.bytes), `${type} bytes`);
    }
  });

  it('makes a vector PDF of the chart size, with no embedded bitmap', async () => {
    const pdf = (await renderer.render(request({ option: BAR_OPTION, type: 'pdf', width: 600, height: 400 }))).bytes.toString('latin1');
    assert.match(pdf, /\/MediaBox \[0 0 450 300\]/, '600x400 CSS px is 450x300 pt');
    assert.equal((pdf.match(/\/Type \/Page\b/g) ?? []).length, 1, 'one page');
    assert.doesNotMatch(pdf, /\/Subtype \/Image/);
  });

  it('scales by the device pixel ratio, with the pixels of a plain page at that ratio', async () => {
    const reference = await ReferenceBrowser.launch();
    try {
      for (const entry of corpusEntries().filter((e) => ['gallery.pie-nest', 'gallery.line-polar', 'doc.text-options'].includes(e.name))) {
        const farm = await renderer.render(request({ option: corpusOption(entry), ...entry.size, devicePixelRatio: 2 }));
        assert.deepEqual([farm.pixelWidth, farm.pixelHeight], [entry.size.width * 2, entry.size.height * 2]);
        const plain = await reference.render({ option: corpusOption(entry), ...entry.size, devicePixelRatio: 2 });
        assert.equal(differingPixels(farm.bytes, plain), 0, entry.name);
      }
    } finally {
      await reference.close();
    }
  });

  it('draws on white by default, on the asked color, or on nothing', async () => {
    const white = await renderer.render(request({ option: BAR_OPTION }));
    assert.deepEqual(pixelAt(white.bytes, 0, 0), [255, 255, 255, 255]);
    const tinted = await renderer.render(request({ option: BAR_OPTION, backgroundColor: '#ff0000' }));
    assert.deepEqual(pixelAt(tinted.bytes, 0, 0), [255, 0, 0, 255]);
    const clear = await renderer.render(request({ option: BAR_OPTION, backgroundColor: 'transparent' }));
    assert.equal(pixelAt(clear.bytes, 0, 0)[3], 0);
    // The chart itself is still there: some pixels are opaque.
    assert.ok(decodePng(clear.bytes).data.some((value, i) => i % 4 === 3 && value === 255));
    const svg = await renderer.render(request({ option: BAR_OPTION, type: 'svg', backgroundColor: '#ff0000' }));
    assert.match(svg.bytes.toString(), /<rect [^>]*fill="#ff0000"/);
  });

  it('applies built-in and folder themes, and refuses unknown ones listing the available', async () => {
    const dark = await renderer.render(request({ option: BAR_OPTION, theme: 'dark' }));
    assert.notDeepEqual(pixelAt(dark.bytes, 0, 0), [255, 255, 255, 255]);
    const ocean = await renderer.render(request({ option: BAR_OPTION, theme: 'test-ocean' }));
    assert.deepEqual(pixelAt(ocean.bytes, 0, 0), [0x12, 0x34, 0x56, 255]);
    await assert.rejects(renderer.render(request({ option: BAR_OPTION, theme: 'no-such-theme' })), (error: unknown) => {
      assert.ok(error instanceof FarmError);
      assert.equal(error.reason, 'UNKNOWN_THEME');
      assert.ok((error.details.available as string[]).includes('test-ocean'));
      return true;
    });
  });

  it('lays out rich-text images in an SVG as a fresh page does, even after a PNG loaded them', async () => {
    const entry = corpusEntries().find((e) => e.name === 'gallery.bar-rich-text')!;
    const svg = () => renderer.render(request({ option: corpusOption(entry), ...entry.size, type: 'svg' }));
    const fresh = (await svg()).bytes.toString();
    await renderer.render(request({ option: corpusOption(entry), ...entry.size, type: 'png' }));
    assert.equal((await svg()).bytes.toString(), fresh);
  });

  it('honours JPEG quality', async () => {
    const low = await renderer.render(request({ option: BAR_OPTION, type: 'jpeg', quality: 10 }));
    const high = await renderer.render(request({ option: BAR_OPTION, type: 'jpeg', quality: 100 }));
    assert.ok(low.bytes.length < high.bytes.length / 2, `${low.bytes.length} vs ${high.bytes.length}`);
  });
});

