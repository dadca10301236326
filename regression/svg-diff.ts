/**
 * Where two SVGs part: both are read into elements, listed in document order, and compared pair by
 * pair (tag, then attributes, then text). The first differing pair says where they part; the counts
 * say how much. Pairs are matched by position, so one element more on one side shifts every pair
 * after it: the first difference is exact, the counts are an upper bound.
 */
import { parseSvg, type SvgElement } from './svg-tree.js';

/** The first place two SVGs differ. */
export interface SvgDifference {
  /** XPath-like path of the element, 1-based among siblings of its tag: `svg/g[2]/path[14]`. */
  path: string;
  /** The path on the actual side, when it is another (an element more or less earlier in the tree). */
  actualPath?: string;
  /** Its position in document order (0 is the root). */
  index: number;
  /** What differs: the tag, one attribute, the text, or an element that only one side has. */
  kind: 'tag' | 'attribute' | 'text' | 'only-expected' | 'only-actual';
  /** The attribute, for `kind: 'attribute'`. */
  attribute?: string;
  /** Both sides' value (the tag, the attribute's value or the text); absent where a side has none. */
  expected?: string;
  actual?: string;
}

/** How two SVGs compare. */
export interface SvgComparison {
  equal: boolean;
  /** Elements on each side. */
  elements: { expected: number; actual: number };
  /** Pairs that differ in anything, plus the elements only one side has. */
  differingElements: number;
  firstDifference?: SvgDifference;
  /** For each attribute name, in how many pairs of one tag it differs or only one side has it. */
  attributeDifferences: Record<string, number>;
  /** Tags whose count differs between the sides. */
  tagCounts: Record<string, { expected: number; actual: number }>;
}

interface ListedElement {
  element: SvgElement;
  path: string;
}

/** Every element in document order with its path. */
function listElements(root: SvgElement): ListedElement[] {
  const listed: ListedElement[] = [];
  const visit = (element: SvgElement, path: string): void => {
    listed.push({ element, path });
    const seen = new Map<string, number>();
    for (const child of element.children) {
      const nth = (seen.get(child.tag) ?? 0) + 1;
      seen.set(child.tag, nth);
      visit(child, `${path}/${child.tag}[${nth}]`);
    }
  };
  visit(root, root.tag);
  return listed;
}

/**
 * Attributes that draw nothing: hit testing (`pointer-events`, `cursor`) and ECharts' own metadata
 * (`ecmeta_*`), which the browser's and the server-side renderer write differently.
 */
export function drawsNothing(attribute: string): boolean {
  return attribute === 'pointer-events' || attribute === 'cursor' || attribute.startsWith('ecmeta_');
}

/** How to compare. */
export interface SvgCompareOptions {
  /** Attributes left out of the comparison. @defaultValue none */
  ignoreAttribute?: (name: string) => boolean;
}

/** The first difference of one pair of elements, and every attribute that differs in it. */
function comparePair(expected: SvgElement, actual: SvgElement, options: SvgCompareOptions): { first?: Omit<SvgDifference, 'path' | 'index'>; attributes: string[] } {
  if (expected.tag !== actual.tag) return { first: { kind: 'tag', expected: expected.tag, actual: actual.tag }, attributes: [] };
  const kept = ([name]: [string, string]) => !options.ignoreAttribute?.(name);
  const expectedValues = new Map(expected.attributes.filter(kept));
  const actualValues = new Map(actual.attributes.filter(kept));
  // The expected element's attributes in their order, then those only the actual one has.
  const names = [...new Set([...expectedValues.keys(), ...actualValues.keys()])];
  const attributes = names.filter((name) => expectedValues.get(name) !== actualValues.get(name));
  const firstName = attributes[0];
  if (firstName !== undefined) {
    return {
      first: { kind: 'attribute', attribute: firstName, ...definedValues(expectedValues.get(firstName), actualValues.get(firstName)) },
      attributes,
    };
  }
  if (expected.text !== actual.text) return { first: { kind: 'text', expected: expected.text, actual: actual.text }, attributes };
  return { attributes };
}

function definedValues(expected: string | undefined, actual: string | undefined): { expected?: string; actual?: string } {
  return { ...(expected !== undefined ? { expected } : {}), ...(actual !== undefined ? { actual } : {}) };
}

function countTags(listed: ListedElement[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { element } of listed) counts.set(element.tag, (counts.get(element.tag) ?? 0) + 1);
  return counts;
}

/** Compares two SVG texts; throws `SvgSyntaxError` when either is not well formed. */
export function compareSvg(expectedSvg: string, actualSvg: string, options: SvgCompareOptions = {}): SvgComparison {
  const expected = listElements(parseSvg(expectedSvg));
  const actual = listElements(parseSvg(actualSvg));
  const attributeDifferences: Record<string, number> = {};
  let firstDifference: SvgDifference | undefined;
  let differingElements = Math.abs(expected.length - actual.length);
  const paired = Math.min(expected.length, actual.length);
  for (let index = 0; index < paired; index += 1) {
    const left = expected[index]!;
    const right = actual[index]!;
    const { first, attributes } = comparePair(left.element, right.element, options);
    for (const name of attributes) attributeDifferences[name] = (attributeDifferences[name] ?? 0) + 1;
    if (!first) continue;
    differingElements += 1;
    firstDifference ??= { path: left.path, ...(right.path !== left.path ? { actualPath: right.path } : {}), index, ...first };
  }
  if (!firstDifference && expected.length !== actual.length) {
    const longer = expected.length > actual.length ? expected : actual;
    const extra = longer[paired]!;
    firstDifference = {
      path: extra.path,
      index: paired,
      kind: longer === expected ? 'only-expected' : 'only-actual',
      ...(longer === expected ? { expected: extra.element.tag } : { actual: extra.element.tag }),
    };
  }
  const expectedTags = countTags(expected);
  const actualTags = countTags(actual);
  const tagCounts: SvgComparison['tagCounts'] = {};
  for (const tag of new Set([...expectedTags.keys(), ...actualTags.keys()])) {
    const counts = { expected: expectedTags.get(tag) ?? 0, actual: actualTags.get(tag) ?? 0 };
    if (counts.expected !== counts.actual) tagCounts[tag] = counts;
  }
  return {
    equal: firstDifference === undefined,
    elements: { expected: expected.length, actual: actual.length },
    differingElements,
    ...(firstDifference ? { firstDifference } : {}),
    attributeDifferences,
    tagCounts,
  };
}

/** What the two sides are called in a description. */
export interface SideNames {
  expected: string;
  actual: string;
}

/** `svg/path[3] @d: "M1 2…" ≠ "M1 3…"`: a difference in one line, long values cut to `maxValue` characters. */
export function describeSvgDifference(
  difference: SvgDifference,
  sides: SideNames = { expected: 'expected', actual: 'actual' },
  maxValue = 60,
): string {
  const quote = (value: string | undefined): string => {
    if (value === undefined) return '(none)';
    return JSON.stringify(value.length > maxValue ? `${value.slice(0, maxValue)}…` : value);
  };
  switch (difference.kind) {
    case 'tag':
      return `${difference.path}: <${difference.expected}> ≠ <${difference.actual}>${difference.actualPath ? ` (${sides.actual}: ${difference.actualPath})` : ''}`;
    case 'attribute':
      return `${difference.path} @${difference.attribute}: ${quote(difference.expected)} ≠ ${quote(difference.actual)}`;
    case 'text':
      return `${difference.path} text: ${quote(difference.expected)} ≠ ${quote(difference.actual)}`;
    case 'only-expected':
      return `${difference.path}: <${difference.expected}> only in the ${sides.expected} SVG`;
    case 'only-actual':
      return `${difference.path}: <${difference.actual}> only in the ${sides.actual} SVG`;
  }
}

/** Line and column (1-based) of the first character where two texts differ; undefined when equal. */
export function firstDifferingCharacter(expected: string, actual: string): { offset: number; line: number; column: number } | undefined {
  if (expected === actual) return undefined;
  let offset = 0;
  while (offset < expected.length && offset < actual.length && expected[offset] === actual[offset]) offset += 1;
  const before = expected.slice(0, offset);
  const line = before.split('\n').length;
  return { offset, line, column: offset - before.lastIndexOf('\n') };
}
