import { createHash, type Hash } from 'node:crypto';
import type { RenderRequest } from '../renderer/render-request.js';
import type { ExportJob } from '../reports/export-job.js';

/** Text is handed to the hash in pieces of about this many characters: few calls, little memory. */
const FLUSH_CHARS = 64 * 1024;

/** An array or object being written: its children in order, and how far the writing got. */
interface Frame {
  children: unknown[];
  /** Object keys, JSON-quoted, in sorted order; undefined for an array. */
  keys: string[] | undefined;
  next: number;
  close: string;
}

function frameOf(value: object): Frame {
  if (Array.isArray(value)) return { children: value, keys: undefined, next: 0, close: ']' };
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, child]) => child !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { children: entries.map(([, child]) => child), keys: entries.map(([key]) => JSON.stringify(key)), next: 0, close: '}' };
}

/**
 * Feeds `hash` the JSON of `value` with object keys sorted, so equal options hash equally whatever
 * their key order. Iterative and linear in the size of the value: a 10 MB array of numbers or an
 * option nested thousands of levels deep costs one visit per value and no stack.
 */
function hashCanonicalJson(hash: Hash, value: unknown): void {
  let buffer = '';
  const write = (text: string): void => {
    buffer += text;
    if (buffer.length >= FLUSH_CHARS) {
      hash.update(buffer);
      buffer = '';
    }
  };
  const stack: Frame[] = [];
  /** Writes a leaf, or opens a container and returns its frame. */
  const open = (child: unknown): Frame | undefined => {
    if (child === null || typeof child !== 'object') {
      write(JSON.stringify(child) ?? 'null');
      return undefined;
    }
    // An array of plain values (most of a large option) is written by the native serializer at once.
    if (Array.isArray(child) && child.every((item) => item === null || typeof item !== 'object')) {
      write(JSON.stringify(child));
      return undefined;
    }
    write(Array.isArray(child) ? '[' : '{');
    return frameOf(child);
  };
  const root = open(value);
  if (root) stack.push(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    let opened: Frame | undefined;
    while (!opened && frame.next < frame.children.length) {
      const index = frame.next++;
      if (index > 0) write(',');
      if (frame.keys) write(`${frame.keys[index]}:`);
      opened = open(frame.children[index]);
    }
    if (opened) {
      stack.push(opened);
    } else {
      write(frame.close);
      stack.pop();
    }
  }
  if (buffer !== '') hash.update(buffer);
}

/**
 * Everything of a request that decides its image, hashed: the option, size, type, pixel ratio,
 * background, theme, quality and engine, and the owner. With the render fingerprint it keys the
 * result cache, which thereby never answers across owners (a hit would tell one owner what another
 * rendered).
 */
export function requestHash(request: RenderRequest | ExportJob, owner: string): string {
  const hash = createHash('sha256');
  hashCanonicalJson(hash, { owner, request });
  return hash.digest('hex');
}
