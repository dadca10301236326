import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { svgMarkup, type SvgNode } from '../../renderer/svg-markup.js';

const svg = (...children: SvgNode[]): SvgNode => ({ tag: 'svg', attrs: { xmlns: 'http://www.w3.org/2000/svg', width: 10 }, children });

describe('svgMarkup', () => {
  test('writes a tree as zrender does: a space after the name, newlines around children', () => {
    assert.equal(svgMarkup(svg({ tag: 'rect', attrs: { x: 0, y: 1.5, fill: '#fff' } })), '<svg xmlns="http://www.w3.org/2000/svg" width="10">\n<rect x="0" y="1.5" fill="#fff"></rect>\n</svg>');
    assert.equal(svgMarkup({ tag: 'g', children: [] }), '<g >\n\n</g>');
  });

  test('escapes attribute values and text', () => {
    const out = svgMarkup(svg({ tag: 'text', attrs: { style: 'font-family:"A" <b> & c' }, text: '<i>"x"</i>' }));
    assert.match(out, /style="font-family:&quot;A&quot; &lt;b&gt; &amp; c"/);
    assert.match(out, />&lt;i&gt;&quot;x&quot;&lt;\/i&gt;</);
  });

  test('leaves out elements that are not chart drawing, with their content', () => {
    const out = svgMarkup(svg({ tag: 'script', text: 'alert(1)' }, { tag: 'foreignObject', children: [{ tag: 'rect' }] }, { tag: 'path', attrs: { d: 'M0 0' } }));
    assert.doesNotMatch(out, /script|foreignObject|alert|rect/);
    assert.match(out, /<path d="M0 0"><\/path>/);
  });

  test('leaves out event handlers and references outside the image', () => {
    const out = svgMarkup(svg(
      { tag: 'image', attrs: { href: 'http://127.0.0.1:9/x.png', onload: 'x()', 'xlink:href': 'javascript:x()' } },
      { tag: 'image', attrs: { href: 'data:image/png;base64,AAAA' } },
      { tag: 'path', attrs: { fill: 'url(http://127.0.0.1:9/#a)', stroke: 'url(#zr0-g1)', 'clip-path': 'url( //x)' } },
      { tag: 'svg', attrs: { xmlns: 'http://127.0.0.1:9/' } },
      { tag: 'style', text: '<![CDATA[@import "http://127.0.0.1:9/a.css";]]>' },
      { tag: 'style', text: '<![CDATA[a{fill:red}]]><script>x()</script><![CDATA[]]>' },
    ));
    assert.doesNotMatch(out, /127\.0\.0\.1|onload|javascript|@import|<script/);
    assert.match(out, /href="data:image\/png;base64,AAAA"/);
    assert.match(out, /stroke="url\(#zr0-g1\)"/);
  });

  test('a tree deeper than any stack is written without recursion', () => {
    let node: SvgNode = { tag: 'rect' };
    for (let depth = 0; depth < 200_000; depth += 1) node = { tag: 'g', children: [node] };
    assert.ok(svgMarkup(node).includes('<rect >'));
  });
});
