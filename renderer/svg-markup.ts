/**
 * The farm's SVG text, written from zrender's virtual tree of the chart instead of zrender's own
 * string: zrender writes attribute values unescaped, so a colour or a font in an option could close
 * its attribute and open a `<script>`. Here every value is escaped, and only what a chart is made of
 * passes: zrender's own elements, no event handlers, no reference outside the image. Both the
 * browser's SVG and the `ssr` engine's go through `svgMarkup`.
 */

/** One node of zrender's virtual SVG tree (`SVGPainter.renderToVNode`), as the page hands it over. */
export interface SvgNode {
  tag: string;
  attrs?: Record<string, unknown>;
  children?: SvgNode[];
  text?: string;
}

/** The options of zrender's own `renderToString`, so the tree is the one `renderToSVGString` writes. */
export const SVG_EXPORT_OPTIONS = { animation: true, emphasis: true, willUpdate: false, compress: true, useViewBox: true } as const;

/** The elements zrender draws a chart with; anything else (script, foreignObject, iframe, …) is left out with its content. */
const CHART_ELEMENTS = new Set([
  'svg', 'g', 'defs', 'style', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan',
  'image', 'linearGradient', 'radialGradient', 'stop', 'pattern', 'clipPath', 'mask', 'filter', 'feDropShadow', 'title', 'desc',
]);

const ATTRIBUTE_NAME = /^[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?$/;
/** Namespace declarations are names, not references: only the two zrender writes pass. */
const NAMESPACES: Record<string, string> = {
  xmlns: 'http://www.w3.org/2000/svg',
  'xmlns:xlink': 'http://www.w3.org/1999/xlink',
};
/** Images embedded in the chart itself; an `<image>` shows an SVG one as a static picture. */
const EMBEDDED_IMAGE = /^data:image\/(png|jpeg|gif|webp|bmp|svg\+xml)[;,]/i;
/** `url(` that does not point into the document (`url(#id)`), or a CSS import: a reference outside the image. */
const OUTSIDE_REFERENCE = /url\s*\(\s*(?!['"]?#)|@import|expression\s*\(/i;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** zrender's own text escaping (encodeHTML), so text comes out as zrender writes it. */
const escapeText = (text: string): string => text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
/** Attribute values in double quotes: `'` needs no escape there, and zrender's fonts use it. */
const escapeAttribute = (value: string): string => value.replace(/[&<>"]/g, (char) => ESCAPES[char]!);

function isSafeReference(name: string, value: string): boolean {
  if (name === 'href' || name.endsWith(':href') || name === 'src') return value.startsWith('#') || EMBEDDED_IMAGE.test(value);
  return !OUTSIDE_REFERENCE.test(value);
}

function attributeText(name: string, raw: unknown): string | undefined {
  if (raw === false || raw === null || raw === undefined) return undefined;
  if (!ATTRIBUTE_NAME.test(name) || /^on/i.test(name)) return undefined;
  if (raw === true) return name;
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const value = String(raw);
  if (name in NAMESPACES) return value === NAMESPACES[name] ? `${name}="${value}"` : undefined;
  if (name.startsWith('xmlns') || !isSafeReference(name, value)) return undefined;
  return `${name}="${escapeAttribute(value)}"`;
}

function openTag(node: SvgNode): string {
  const parts = [node.tag];
  for (const [name, raw] of Object.entries(node.attrs ?? {})) {
    const text = attributeText(name, raw);
    if (text !== undefined) parts.push(text);
  }
  // zrender writes `<tag ` plus its attributes, a space even without any; kept so outputs compare.
  return `<${parts[0]} ${parts.slice(1).join(' ')}>`;
}

function contentText(node: SvgNode): string {
  const text = typeof node.text === 'string' || typeof node.text === 'number' ? String(node.text) : '';
  if (node.tag !== 'style') return escapeText(text);
  // A style sheet is zrender's CSS (animations, emphasis) in a CDATA section: one that reaches
  // outside the image, or could end its section early, is dropped.
  const cdata = /^<!\[CDATA\[([\s\S]*)\]\]>$/.exec(text);
  const css = cdata ? cdata[1]! : text;
  if (OUTSIDE_REFERENCE.test(css) || css.includes(']]>')) return '';
  return cdata ? text : escapeText(css);
}

/**
 * The SVG text of `root`, laid out as zrender's `renderToSVGString` lays it out (newlines between
 * children). Written without recursion: the tree may come from a page that ran a request's script.
 */
export function svgMarkup(root: SvgNode): string {
  const out: string[] = [];
  // Either a node to open or the closing text of one already opened.
  const stack: (SvgNode | string)[] = [root];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    if (item === null || typeof item !== 'object' || typeof item.tag !== 'string' || !CHART_ELEMENTS.has(item.tag)) continue;
    out.push(openTag(item), contentText(item));
    const children = Array.isArray(item.children) ? item.children : undefined;
    stack.push(`</${item.tag}>`);
    if (children) {
      // Each child is preceded by a newline and the last one followed by one, as zrender joins them.
      stack.push(children.length === 0 ? '\n\n' : '\n');
      for (let index = children.length - 1; index >= 0; index -= 1) stack.push(children[index]!, '\n');
    }
  }
  return out.join('');
}
