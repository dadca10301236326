/**
 * ECharts names the ids and classes of its SVG (`zr3-cls-97`, `zr3-g2`) with counters that live as
 * long as the page: the zrender instance number and one counter per kind of definition. A warm page
 * has counted through many charts, a fresh page through one. Renumbering every such name in order of
 * first appearance gives one canonical SVG for a chart, whatever the page rendered before, so the
 * farm's SVG can be compared with a plain page's (normalised the same way) and with goldens.
 */
const COUNTED_NAME = /\bzr\d+-([a-z]+-?)(\d+)\b/g;

/** A start tag: `<` and a name, then anything up to the next `>` (ECharts escapes `<` and `>` in values). */
const START_TAG = /<[A-Za-z][^<>]*>/g;
/**
 * One attribute whose double-quoted value may hold quotes of its own: such a value ends only at a
 * quote that another attribute or the end of the tag follows.
 */
const TOLERANT_ATTRIBUTE = /(\s[A-Za-z_:][\w:.-]*\s*=\s*)"((?:[^"]|"(?!\s+[A-Za-z_:][\w:.-]*\s*=|\s*\/?>))*)"/g;

/**
 * ECharts writes a font family with quotes of its own inside a double-quoted attribute
 * (`style="font-family:"Noto Sans", sans-serif"`): no well-formed XML, so an SVG viewer or an
 * `<img>` refuses the whole image. Escaping those inner quotes as `&quot;` gives the style the browser
 * meant. Only tags with more quotes than their attributes need are touched.
 */
function escapeQuotesInAttributes(svg: string): string {
  // Well-formed values open after `=` and close before a space, `>` or `/`: any other quote is a sign.
  if (!/[^=\s]"[^\s>/]/.test(svg)) return svg;
  return svg.replace(START_TAG, (tag) => {
    const quotes = tag.split('"').length - 1;
    const values = tag.split(/=\s*"/).length - 1;
    if (quotes <= values * 2) return tag;
    return tag.replace(TOLERANT_ATTRIBUTE, (_attribute, head: string, value: string) => `${head}"${value.replaceAll('"', '&quot;')}"`);
  });
}

export function normalizeSvg(svg: string): string {
  return renumberCounters(escapeQuotesInAttributes(svg));
}

function renumberCounters(svg: string): string {
  const renumbered = new Map<string, Map<string, number>>();
  return svg.replace(COUNTED_NAME, (_name, kind: string, counter: string) => {
    let numbers = renumbered.get(kind);
    if (!numbers) {
      numbers = new Map();
      renumbered.set(kind, numbers);
    }
    let number = numbers.get(counter);
    if (number === undefined) {
      number = numbers.size;
      numbers.set(counter, number);
    }
    return `zr0-${kind}${number}`;
  });
}
