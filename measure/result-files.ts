/** A measurement's files: JSON records that stay readable, written so a crash leaves no half file. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Two decimals are plenty for milliseconds, and keep the JSON readable. */
function roundNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value;
}

/** Puts arrays of numbers (the latencies) on one line instead of one number per line. */
function compactNumberArrays(json: string): string {
  return json.replace(/\[\s*(-?[\d.]+(?:,\s*-?[\d.]+)*)\s*\]/g, (_, items: string) => `[${items.split(/,\s*/).join(', ')}]`);
}

/** A benchmark's record as JSON: numbers to two decimals, arrays of numbers on one line. */
export function recordJson(report: object): string {
  return `${compactNumberArrays(JSON.stringify(report, roundNumbers, 2))}\n`;
}

/**
 * Writes each file into `dir` through a temporary file, so a crash leaves no half file; answers
 * their paths in the same order.
 */
export function writeResultFiles(dir: string, files: readonly { name: string; text: string | Uint8Array }[]): string[] {
  mkdirSync(dir, { recursive: true });
  return files.map(({ name, text }) => {
    const path = join(dir, name);
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    return path;
  });
}
