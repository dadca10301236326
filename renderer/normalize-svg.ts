/**
 * ECharts names the ids and classes of its SVG (`zr3-cls-97`, `zr3-g2`) with counters that live as
 * long as the page: the zrender instance number and one counter per kind of definition. A warm page
 * has counted through many charts, a fresh page through one. Renumbering every such name in order of
 * first appearance gives one canonical SVG for a chart, whatever the page rendered before, so the
 * farm's SVG can be compared with a plain page's (normalised the same way) and with goldens.
 */
const COUNTED_NAME = /\bzr\d+-([a-z]+-?)(\d+)\b/g;

export function normalizeSvg(svg: string): string {
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
