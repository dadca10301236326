/**
 * One pass over an option, in time linear in its size and without recursion: it counts the nodes,
 * measures the nesting and, when functions are off, finds the first string that is JavaScript
 * function source. Paths are built only for what it reports, never per element, so a 10 MB array
 * costs one visit per number.
 */

/** Bounds of an option's shape (MAX_OPTION_DEPTH, MAX_OPTION_NODES). */
export interface OptionLimits {
  /** Objects and arrays inside one another; the option itself is level 1. */
  maxDepth: number;
  /** Values in the option: every object, array, string, number, boolean and null. */
  maxNodes: number;
}

export type OptionProblem =
  | { kind: 'too-deep'; path: string; depth: number }
  | { kind: 'too-many-nodes'; nodes: number }
  | { kind: 'function-source'; path: string };

const FUNCTION_SOURCE = /^\s*(async\s+)?function\b[\s\S]*\}\s*$|^\s*(\([^()]*\)|[\w$]+)\s*=>/;

/** True when `text` reads as JavaScript function source (`function …{…}` or an arrow function). */
export function isFunctionSource(text: string): boolean {
  return FUNCTION_SOURCE.test(text);
}

/** A container waiting to be visited, with the way back to the root for its path. */
interface Frame {
  value: object;
  depth: number;
  parent: Frame | undefined;
  key: string | number;
}

function pathOf(frame: Frame | undefined, key: string | number | undefined, root: string): string {
  const parts: string[] = [];
  if (key !== undefined) parts.push(typeof key === 'number' ? `[${key}]` : `.${key}`);
  for (let at = frame; at?.parent; at = at.parent) parts.push(typeof at.key === 'number' ? `[${at.key}]` : `.${at.key}`);
  return root + parts.reverse().join('');
}

/** The first problem of `option` against `limits`, or undefined. `root` names the option in paths. */
export function findOptionProblem(option: object, limits: OptionLimits, lookForFunctions: boolean, root = 'option'): OptionProblem | undefined {
  const stack: Frame[] = [{ value: option, depth: 1, parent: undefined, key: '' }];
  let nodes = 1;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth > limits.maxDepth) return { kind: 'too-deep', path: pathOf(frame, undefined, root), depth: frame.depth };
    const visit = (key: string | number, child: unknown): OptionProblem | undefined => {
      nodes += 1;
      if (typeof child === 'string') {
        if (lookForFunctions && isFunctionSource(child)) return { kind: 'function-source', path: pathOf(frame, key, root) };
      } else if (child !== null && typeof child === 'object') {
        stack.push({ value: child, depth: frame.depth + 1, parent: frame, key });
      }
      return undefined;
    };
    if (Array.isArray(frame.value)) {
      const array = frame.value as unknown[];
      for (let index = 0; index < array.length; index += 1) {
        const problem = visit(index, array[index]);
        if (problem) return problem;
      }
    } else {
      for (const key in frame.value) {
        if (!Object.hasOwn(frame.value, key)) continue;
        const problem = visit(key, (frame.value as Record<string, unknown>)[key]);
        if (problem) return problem;
      }
    }
    if (nodes > limits.maxNodes) return { kind: 'too-many-nodes', nodes };
  }
  return undefined;
}
