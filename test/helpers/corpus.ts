/** Reads the shared corpus of real-world ECharts options (its README describes the format). */
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { packageRoot } from '../../renderer/package-root.js';

export interface CorpusEntry {
  name: string;
  kind: 'options' | 'options-maps' | 'with-functions';
  file: string;
  maps?: Record<string, string>;
  size: { width: number; height: number };
  flags: string[];
  render: { deterministic: boolean; diffPixels?: number };
}

/**
 * CORPUS_DIR, else the shared corpus beside the project (it may be larger than the copy), else the
 * public sample kept in test/fixtures/corpus so a clone anywhere can run the fidelity tests.
 */
function findCorpus(): string {
  if (process.env.CORPUS_DIR) return resolve(process.env.CORPUS_DIR);
  const shared = join(packageRoot(), '..', 'shared', 'corpus');
  return existsSync(join(shared, 'index.json')) ? shared : join(packageRoot(), 'test', 'fixtures', 'corpus');
}

export const corpusDir = findCorpus();

export function corpusEntries(): CorpusEntry[] {
  const index = JSON.parse(readFileSync(join(corpusDir, 'index.json'), 'utf8')) as { entries: CorpusEntry[] };
  return index.entries;
}

/** The option as the farm takes it: a JSON object, or the script source for `with-functions`. */
export function corpusOption(entry: CorpusEntry): Record<string, unknown> | string {
  const text = readFileSync(join(corpusDir, entry.file), 'utf8');
  if (entry.kind === 'with-functions') return text;
  const parsed = JSON.parse(text) as Record<string, unknown>;
  return entry.kind === 'options-maps' ? (parsed.option as Record<string, unknown>) : parsed;
}

/** A temporary MAPS_DIR holding every map the corpus uses, named as the options expect. */
export function corpusMapsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'farm-maps-'));
  for (const entry of corpusEntries()) {
    for (const [mapName, file] of Object.entries(entry.maps ?? {})) {
      copyFileSync(join(corpusDir, file), join(dir, `${mapName}.json`));
    }
  }
  return dir;
}
