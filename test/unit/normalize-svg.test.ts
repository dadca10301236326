import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeSvg } from '../../renderer/normalize-svg.js';

describe('normalizeSvg', () => {
  it('renumbers page-wide counters in order of first appearance, per kind', () => {
    const warm =
      '<svg><style>.zr7-cls-97:hover{}</style><defs><linearGradient id="zr7-g4"/><clipPath id="zr7-c9"/></defs>' +
      '<path class="zr7-cls-97" fill="url(#zr7-g4)" clip-path="url(#zr7-c9)"/><path class="zr7-cls-98"/></svg>';
    const fresh =
      '<svg><style>.zr0-cls-0:hover{}</style><defs><linearGradient id="zr0-g0"/><clipPath id="zr0-c0"/></defs>' +
      '<path class="zr0-cls-0" fill="url(#zr0-g0)" clip-path="url(#zr0-c0)"/><path class="zr0-cls-1"/></svg>';
    assert.equal(normalizeSvg(warm), fresh);
    assert.equal(normalizeSvg(fresh), fresh);
  });

  it('keeps distinct names distinct', () => {
    assert.equal(normalizeSvg('<a class="zr3-cls-5"/><a class="zr3-cls-2"/><a class="zr3-cls-5"/>'), '<a class="zr0-cls-0"/><a class="zr0-cls-1"/><a class="zr0-cls-0"/>');
  });

  it('leaves other text alone', () => {
    const svg = '<svg><text>Sales 2024-05</text><path d="M0 0L10 10"/></svg>';
    assert.equal(normalizeSvg(svg), svg);
  });

  it('escapes the quotes of a font family inside a double-quoted attribute, so the SVG is well-formed XML', () => {
    const echarts = '<svg><text style="font-size:18px;font-family:"Noto Sans CJK SC", sans-serif;font-weight:bold;" y="9" fill="#333">"Q1"</text><g a="1"/></svg>';
    const fixed = normalizeSvg(echarts);
    assert.equal(fixed, '<svg><text style="font-size:18px;font-family:&quot;Noto Sans CJK SC&quot;, sans-serif;font-weight:bold;" y="9" fill="#333">"Q1"</text><g a="1"/></svg>');
    for (const tag of fixed.match(/<[A-Za-z][^<>]*>/g)!) assert.match(tag, /^<[\w:.-]+(\s+[\w:.-]+="[^"]*")*\s*\/?>$/, tag);
  });
});
