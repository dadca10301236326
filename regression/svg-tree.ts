/**
 * A small XML reader for the SVG ECharts writes (elements, attributes, text, CDATA), enough to say
 * where two SVGs part. Not a general XML parser: entities stay as written, which is what a
 * comparison of two serialisations wants anyway.
 */

/** One element of an SVG. */
export interface SvgElement {
  tag: string;
  /** Attributes in the order written. */
  attributes: [name: string, value: string][];
  children: SvgElement[];
  /** The element's own text (CDATA included), trimmed; children's text is theirs. */
  text: string;
}

/** The SVG could not be read; `offset` is where reading stopped. */
export class SvgSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at character ${offset}`);
    this.name = 'SvgSyntaxError';
  }
}

const NAME = /[A-Za-z_:][\w:.-]*/y;
/*
 * ECharts writes a font family that has quotes of its own inside a double-quoted attribute
 * (`style="font: 20px "STHeiti", sans-serif"`), which is no well-formed XML. Browsers and ECharts'
 * server-side SVG both do it, so a double quote ends a value only where another attribute or the
 * end of the tag follows it.
 */
const ATTRIBUTE = /\s*([A-Za-z_:][\w:.-]*)\s*=\s*("((?:[^"]|"(?!\s+[A-Za-z_:][\w:.-]*\s*=|\s*\/?>))*)"|'([^']*)')/y;

/** Reads `svg` into its root element; throws `SvgSyntaxError` on text that is no well-formed XML. */
export function parseSvg(svg: string): SvgElement {
  const root: SvgElement = { tag: '#document', attributes: [], children: [], text: '' };
  const open: SvgElement[] = [root];
  let position = 0;
  const current = (): SvgElement => open[open.length - 1]!;
  const appendText = (text: string): void => {
    const trimmed = text.trim();
    if (trimmed) current().text += current().text ? ` ${trimmed}` : trimmed;
  };

  while (position < svg.length) {
    const tagStart = svg.indexOf('<', position);
    if (tagStart < 0) {
      appendText(svg.slice(position));
      break;
    }
    appendText(svg.slice(position, tagStart));
    if (svg.startsWith('<!--', tagStart)) {
      position = skipPast(svg, '-->', tagStart);
    } else if (svg.startsWith('<![CDATA[', tagStart)) {
      const end = svg.indexOf(']]>', tagStart);
      if (end < 0) throw new SvgSyntaxError('unclosed CDATA section', tagStart);
      appendText(svg.slice(tagStart + 9, end));
      position = end + 3;
    } else if (svg.startsWith('<?', tagStart) || svg.startsWith('<!', tagStart)) {
      position = skipPast(svg, '>', tagStart);
    } else if (svg.startsWith('</', tagStart)) {
      NAME.lastIndex = tagStart + 2;
      const name = NAME.exec(svg)?.[0];
      if (!name || current().tag !== name) {
        throw new SvgSyntaxError(`closing tag </${name ?? '?'}> does not close <${current().tag}>`, tagStart);
      }
      open.pop();
      position = skipPast(svg, '>', tagStart);
    } else {
      position = readStartTag(svg, tagStart, current(), open);
    }
  }
  if (open.length > 1) throw new SvgSyntaxError(`<${current().tag}> is never closed`, svg.length);
  const element = root.children[0];
  if (!element) throw new SvgSyntaxError('no element', 0);
  return element;
}

/** Reads `<tag a="b" ...>` or `<tag .../>` at `start` into `parent`; returns the position after it. */
function readStartTag(svg: string, start: number, parent: SvgElement, open: SvgElement[]): number {
  NAME.lastIndex = start + 1;
  const tag = NAME.exec(svg)?.[0];
  if (!tag) throw new SvgSyntaxError('a tag without a name', start);
  const element: SvgElement = { tag, attributes: [], children: [], text: '' };
  let position = start + 1 + tag.length;
  for (;;) {
    ATTRIBUTE.lastIndex = position;
    const attribute = ATTRIBUTE.exec(svg);
    if (!attribute) break;
    element.attributes.push([attribute[1]!, attribute[3] ?? attribute[4] ?? '']);
    position = ATTRIBUTE.lastIndex;
  }
  while (/\s/.test(svg[position] ?? '')) position += 1;
  parent.children.push(element);
  if (svg.startsWith('/>', position)) return position + 2;
  if (svg[position] !== '>') throw new SvgSyntaxError(`unexpected ${JSON.stringify(svg[position] ?? 'end')} in <${tag}>`, position);
  open.push(element);
  return position + 1;
}

function skipPast(svg: string, end: string, from: number): number {
  const found = svg.indexOf(end, from);
  if (found < 0) throw new SvgSyntaxError(`no closing ${end}`, from);
  return found + end.length;
}
