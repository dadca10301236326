/**
 * The rooms of ARCHITECTURE.md and what each may import. Every relative import of every TypeScript
 * file is read (static, dynamic and type-only alike) and checked against the table, so an arrow that
 * must never exist fails here with the file and line that drew it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { packageRoot } from '../../renderer/package-root.js';

/** Room → the other rooms it may import. A room may always import its own files. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  config: [],
  errors: [],
  storage: [],
  renderer: ['errors'],
  regression: ['renderer', 'errors'],
  reports: ['renderer', 'storage', 'errors'],
  tasks: ['reports', 'renderer', 'storage', 'errors', 'config'],
  ops: ['tasks', 'reports', 'renderer', 'storage', 'errors', 'config'],
  server: ['ops', 'tasks', 'reports', 'renderer', 'storage', 'errors', 'config'],
  farm: ['server', 'ops', 'reports', 'tasks', 'renderer', 'storage', 'regression', 'errors', 'config'],
  measure: ['farm', 'renderer', 'errors', 'config'],
  cli: ['farm', 'measure', 'regression', 'server', 'ops', 'reports', 'tasks', 'renderer', 'storage', 'errors', 'config'],
  client: [],
  examples: [],
  bench: ['farm', 'measure', 'regression', 'server', 'ops', 'reports', 'tasks', 'renderer', 'storage', 'errors', 'config'],
  test: ['bench', 'cli', 'client', 'farm', 'measure', 'regression', 'server', 'ops', 'reports', 'tasks', 'renderer', 'storage', 'errors', 'config', 'examples'],
};

const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git', 'data', 'golden-report', 'tune-report']);
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

interface Arrow {
  from: string;
  to: string;
  where: string;
}

function typeScriptFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED_FOLDERS.has(entry.name)) return [];
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return /\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function roomOf(pathInPackage: string): string {
  return pathInPackage.includes(sep) ? pathInPackage.split(sep)[0]! : '(root)';
}

function arrowsBetweenRooms(): Arrow[] {
  const root = packageRoot();
  return typeScriptFiles(root).flatMap((file) => {
    const from = roomOf(relative(root, file));
    const lines = readFileSync(file, 'utf8').split('\n');
    return lines.flatMap((line, index) =>
      [...line.matchAll(IMPORT)].map((match) => ({
        from,
        to: roomOf(relative(root, normalize(join(dirname(file), match[1]!)))),
        where: `${relative(root, file)}:${index + 1}`,
      })),
    );
  }).filter((arrow) => arrow.from !== arrow.to);
}

describe('architecture', () => {
  const arrows = arrowsBetweenRooms();

  it('reads imports across rooms (the scan itself works)', () => {
    assert.ok(arrows.some((arrow) => arrow.from === 'server' && arrow.to === 'tasks'), 'server imports tasks somewhere');
    assert.ok(arrows.some((arrow) => arrow.from === 'cli' && arrow.to === 'farm'), 'cli builds through farm');
  });

  it('has every room in the table', () => {
    const rooms = new Set(arrows.flatMap((arrow) => [arrow.from, arrow.to]));
    const unknown = [...rooms].filter((room) => !(room in MAY_IMPORT));
    assert.deepEqual(unknown, [], 'a new room needs its line in ARCHITECTURE.md and in this table');
  });

  it('draws no arrow the table forbids', () => {
    const forbidden = arrows
      .filter((arrow) => arrow.from in MAY_IMPORT && !MAY_IMPORT[arrow.from]!.includes(arrow.to))
      .map((arrow) => `${arrow.where}: ${arrow.from} → ${arrow.to}`);
    assert.deepEqual(forbidden, []);
  });

  it('has no cycle between rooms', () => {
    const edges = new Map<string, Set<string>>();
    for (const arrow of arrows) edges.set(arrow.from, (edges.get(arrow.from) ?? new Set()).add(arrow.to));
    const reaches = (start: string, goal: string, seen = new Set<string>()): boolean =>
      [...(edges.get(start) ?? [])].some((next) => next === goal || (!seen.has(next) && (seen.add(next), reaches(next, goal, seen))));
    const cyclic = [...edges.keys()].filter((room) => reaches(room, room));
    assert.deepEqual(cyclic, []);
  });
});
