/**
 * The render fingerprint: everything besides the request that decides the pixels. Results carry it
 * so a change of Chromium, ECharts, fonts, flags or the template page is visible, and two
 * fingerprints can tell which of those parts differ (a host and a container image, say).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';

export interface RenderFingerprint {
  /** Short hash of every field below. */
  hash: string;
  chromium: string;
  echarts: string;
  /** Hash of the installed font files (paths, faces and families), `unknown` without fontconfig. */
  fonts: string;
  flags: readonly string[];
  /** Hash of everything the chart page loads. */
  template: string;
}

export type FingerprintPart = Exclude<keyof RenderFingerprint, 'hash'>;

/** The parts in the order the hash takes them: the order may not change, or every hash moves. */
export const FINGERPRINT_PARTS: readonly FingerprintPart[] = ['chromium', 'echarts', 'fonts', 'flags', 'template'];

const run = promisify(execFile);
const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * The fonts Chromium can draw with, one `file|face index|family` line each, sorted; empty without
 * fontconfig. Two setups whose `fonts` differ differ somewhere in these lines.
 */
export async function installedFonts(): Promise<string[] | undefined> {
  try {
    const { stdout } = await run('fc-list', ['--format', '%{file}|%{index}|%{family}\\n'], { maxBuffer: 16 * 1024 * 1024 });
    return stdout.split('\n').filter(Boolean).sort();
  } catch {
    return undefined;
  }
}

export async function fontsHash(): Promise<string> {
  const fonts = await installedFonts();
  return fonts ? shortHash(fonts.join('\n')) : 'unknown';
}

export function makeFingerprint(parts: Omit<RenderFingerprint, 'hash'>): RenderFingerprint {
  const hash = shortHash(JSON.stringify(FINGERPRINT_PARTS.map((part) => parts[part])));
  return { hash, ...parts };
}

/** The parts in which two fingerprints differ, in FINGERPRINT_PARTS order; empty when they agree. */
export function fingerprintDifferences(a: Omit<RenderFingerprint, 'hash'>, b: Omit<RenderFingerprint, 'hash'>): FingerprintPart[] {
  return FINGERPRINT_PARTS.filter((part) => JSON.stringify(a[part]) !== JSON.stringify(b[part]));
}
