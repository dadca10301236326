/** Reading ECharts' SVG and saying where two of them part. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareSvg, describeSvgDifference, drawsNothing, firstDifferingCharacter } from '../../regression/svg-diff.js';
import { parseSvg, SvgSyntaxError } from '../../regression/svg-tree.js';

const BASE = `<svg width="100" height="50" xmlns="http://www.w3.org/2000/svg">
<rect width="100" height="50" x="0" y="0" fill="none"></rect>
<g><path d="M0 0L10 10" fill="#5070dd" class="zr0-cls-0"></path><path d="M5 5L9 9" fill="#b6d634"/></g>
<text x="3" y="4" style="font: 12px "Microsoft YaHei", sans-serif" fill="#000">Sales &amp; costs</text>
<style><![CDATA[.zr0-cls-0 { opacity: 0.5 }]]></style>
</svg>`;

describe('parseSvg', () => {
  it('reads elements, attributes, text and CDATA, and the quoted font families ECharts writes unescaped', () => {
    const svg = parseSvg(BASE);
    assert.equal(svg.tag, 'svg');
    assert.deepEqual(svg.children.map((child) => child.tag), ['rect', 'g', 'text', 'style']);
    const text = svg.children[2]!;
    assert.deepEqual(text.attributes, [
      ['x', '3'],
      ['y', '4'],
      ['style', 'font: 12px "Microsoft YaHei", sans-serif'],
      ['fill', '#000'],
    ]);
    assert.equal(text.text, 'Sales &amp; costs');
    assert.equal(svg.children[3]!.text, '.zr0-cls-0 { opacity: 0.5 }');
    assert.equal(svg.children[1]!.children[1]!.attributes[0]![1], 'M5 5L9 9');
  });

  it('says where an SVG is not well formed', () => {
    assert.throws(() => parseSvg('<svg><g></svg>'), (error: unknown) => error instanceof SvgSyntaxError && /does not close <g>/.test(error.message));
    assert.throws(() => parseSvg('<svg><path d="M0 0"'), SvgSyntaxError);
  });
});

describe('compareSvg', () => {
  it('finds two equal SVGs equal', () => {
    const comparison = compareSvg(BASE, BASE);
    assert.equal(comparison.equal, true);
    assert.equal(comparison.differingElements, 0);
    assert.deepEqual(comparison.elements, { expected: 7, actual: 7 });
  });

  it('names the first differing element and attribute with both values, and counts the rest', () => {
    const actual = BASE.replace('M5 5L9 9', 'M5 5L9 8').replace('x="3"', 'x="4"').replace('class="zr0-cls-0"', 'class="zr0-cls-0" ecmeta_ssr_type="chart"');
    const comparison = compareSvg(BASE, actual);
    assert.equal(comparison.equal, false);
    assert.deepEqual(comparison.firstDifference, {
      path: 'svg/g[1]/path[1]',
      index: 3,
      kind: 'attribute',
      attribute: 'ecmeta_ssr_type',
      actual: 'chart',
    });
    assert.equal(comparison.differingElements, 3);
    assert.deepEqual(comparison.attributeDifferences, { ecmeta_ssr_type: 1, d: 1, x: 1 });
    assert.equal(describeSvgDifference(comparison.firstDifference!, { expected: 'browser', actual: 'ssr' }), 'svg/g[1]/path[1] @ecmeta_ssr_type: (none) ≠ "chart"');
  });

  it('leaves out, when asked, the attributes that draw nothing: pointer-events, cursor, ecmeta_*', () => {
    const actual = BASE.replace('class="zr0-cls-0"', 'class="zr0-cls-0" ecmeta_ssr_type="chart" pointer-events="visible" cursor="pointer"');
    assert.equal(compareSvg(BASE, actual).equal, false);
    const ignoring = compareSvg(BASE, actual, { ignoreAttribute: drawsNothing });
    assert.equal(ignoring.equal, true);
    assert.deepEqual(ignoring.attributeDifferences, {});
    const drawn = compareSvg(BASE, actual.replace('x="3"', 'x="4"'), { ignoreAttribute: drawsNothing });
    assert.deepEqual(drawn.attributeDifferences, { x: 1 });
    assert.equal(drawn.firstDifference?.attribute, 'x');
  });

  it('reports text, tags and elements only one side has', () => {
    assert.equal(compareSvg(BASE, BASE.replace('Sales &amp; costs', 'Sales')).firstDifference?.kind, 'text');
    const extra = compareSvg(BASE, BASE.replace('</g>', '<circle r="1"/></g>'));
    // In document order the extra circle takes the place of the text.
    assert.deepEqual(extra.firstDifference, { path: 'svg/text[1]', actualPath: 'svg/g[1]/circle[1]', index: 5, kind: 'tag', expected: 'text', actual: 'circle' });
    assert.equal(describeSvgDifference(extra.firstDifference!), 'svg/text[1]: <text> ≠ <circle> (actual: svg/g[1]/circle[1])');
    assert.deepEqual(extra.tagCounts, { circle: { expected: 0, actual: 1 } });
    const shorter = compareSvg(BASE, BASE.replace(/<style>.*<\/style>\n/s, ''));
    assert.deepEqual(shorter.firstDifference, { path: 'svg/style[1]', index: 6, kind: 'only-expected', expected: 'style' });
  });

  it('finds the first differing character when elements cannot be compared', () => {
    assert.deepEqual(firstDifferingCharacter('ab\ncd', 'ab\ncx'), { offset: 4, line: 2, column: 2 });
    assert.equal(firstDifferingCharacter('same', 'same'), undefined);
  });
});
