/**
 * Labels that wrap or truncate by width are laid out with per-character widths that zrender
 * measures once per font, timed on the wall clock: measured slowly once (a loaded CPU, a warm page
 * that met many fonts), it measured every later font's ASCII characters as wide as an "a". The farm
 * must lay such labels out as a quiet plain page does, however slowly its text was measured before.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { packageRoot } from '../../renderer/package-root.js';
import { differingPixels } from '../helpers/pixels.js';
import { ReferenceBrowser } from '../helpers/reference-browser.js';
import { request, startTestRenderer } from '../helpers/renderer.js';

const wrapOption = readFileSync(join(packageRoot(), 'test', 'fixtures', 'fidelity', 'labels-wrap-near-width.json'), 'utf8');
const size = { width: 700, height: 400 };

/**
 * The same chart, after the page measured another font's characters slowly, as a machine under
 * load does: the script slows canvas text measurement for the first character of zrender's table,
 * draws a chart with another font, and puts measurement back before the option is drawn.
 */
const AFTER_SLOW_MEASUREMENT = `
var nativeMeasure = CanvasRenderingContext2D.prototype.measureText;
CanvasRenderingContext2D.prototype.measureText = function (text) {
  if (text === '\\u0000') { var until = performance.now() + 25; while (performance.now() < until); }
  return nativeMeasure.apply(this, arguments);
};
var earlier = document.createElement('div');
earlier.style.cssText = 'width: 200px; height: 100px';
document.body.appendChild(earlier);
var earlierChart = echarts.init(earlier);
earlierChart.setOption({ animation: false, title: { text: 'an earlier chart', textStyle: { fontSize: 13, width: 40, overflow: 'break' } } });
earlierChart.dispose();
earlier.remove();
CanvasRenderingContext2D.prototype.measureText = nativeMeasure;
var option = ${wrapOption};
`;

describe('text measurement', () => {
  let renderer: ChartRenderer;
  let reference: ReferenceBrowser;
  before(async () => {
    renderer = await startTestRenderer({ allowFunctions: true });
    reference = await ReferenceBrowser.launch();
  });
  after(async () => {
    await renderer?.close();
    await reference?.close();
  });

  it('wraps and truncates labels near their width as a quiet plain page, after text was measured slowly', async () => {
    const quiet = await reference.render({ option: JSON.parse(wrapOption) as Record<string, unknown>, ...size });
    for (const dpr of [1, 2]) {
      const plain = dpr === 1 ? quiet : await reference.render({ option: JSON.parse(wrapOption) as Record<string, unknown>, ...size, devicePixelRatio: dpr });
      const farm = await renderer.render(request({ option: AFTER_SLOW_MEASUREMENT, ...size, devicePixelRatio: dpr }));
      assert.equal(differingPixels(farm.bytes, plain), 0, `pixel ratio ${dpr}`);
    }
  });
});
