/**
 * The charts every fidelity check renders: the shared corpus and the project's own charts in
 * test/fixtures/fidelity (kinds of chart the corpus lacked), each with what a plain page must show.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../renderer/package-root.js';
import { corpusDir, corpusEntries, corpusOption, type CorpusEntry } from './corpus.js';

export interface FidelityChart {
  name: string;
  /** A JSON option, or the source of a script that declares `var option`. */
  option: Record<string, unknown> | string;
  width: number;
  height: number;
  /** Maps the option uses, as `echarts.registerMap` takes them. */
  maps: Record<string, unknown>;
  /** How long the plain page waits after `finished` (inlined images load asynchronously). */
  extraWaitMs: number;
  /** Differing pixels allowed (charts whose plain renders already differ between two pages). */
  allowedDifference: number;
  /** Nondeterministic in a plain page: not part of the checks that need two equal references. */
  deterministic: boolean;
  /**
   * How long the plain page waits for `finished`: long, since a progressive chart on a busy CPU takes
   * its time, except for charts flagged nondeterministic (looping effects never finish).
   */
  referenceFinishedWaitMs: number;
}

const PATIENT_WAIT_MS = 60_000;
const LOOPING_WAIT_MS = 5_000;

const fixturesDir = join(packageRoot(), 'test', 'fixtures', 'fidelity');

function mapsOf(entry: CorpusEntry): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(entry.maps ?? {}).map(([name, file]) => [name, JSON.parse(readFileSync(join(corpusDir, file), 'utf8'))]),
  );
}

function fromCorpus(entry: CorpusEntry): FidelityChart {
  const allowed = entry.render.deterministic
    ? 0
    : Math.max(4 * (entry.render.diffPixels ?? 0), Math.round(0.1 * entry.size.width * entry.size.height));
  return {
    name: entry.name,
    option: corpusOption(entry),
    ...entry.size,
    maps: mapsOf(entry),
    // The corpus README's reference waits 400 ms more for inlined images.
    extraWaitMs: entry.flags.includes('inlined-images') ? 400 : 0,
    allowedDifference: allowed,
    deterministic: entry.render.deterministic,
    referenceFinishedWaitMs: entry.render.deterministic ? PATIENT_WAIT_MS : LOOPING_WAIT_MS,
  };
}

interface FixtureEntry {
  name: string;
  file: string;
  size: { width: number; height: number };
}

export function fixtureCharts(): FidelityChart[] {
  const index = JSON.parse(readFileSync(join(fixturesDir, 'index.json'), 'utf8')) as { entries: FixtureEntry[] };
  return index.entries.map((entry) => {
    const text = readFileSync(join(fixturesDir, entry.file), 'utf8');
    return {
      name: entry.name,
      option: entry.file.endsWith('.js') ? text : (JSON.parse(text) as Record<string, unknown>),
      ...entry.size,
      maps: {},
      extraWaitMs: 0,
      allowedDifference: 0,
      deterministic: true,
      referenceFinishedWaitMs: PATIENT_WAIT_MS,
    };
  });
}

/** The corpus first, then the project's own charts. */
export function fidelityCharts(): FidelityChart[] {
  return [...corpusEntries().map(fromCorpus), ...fixtureCharts()];
}

/** A copy of the option: renderers change the objects they are given. */
export function optionOf(chart: FidelityChart): Record<string, unknown> | string {
  return typeof chart.option === 'string' ? chart.option : (structuredClone(chart.option) as Record<string, unknown>);
}
