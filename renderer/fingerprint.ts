/**
 * The render fingerprint: everything besides the request that decides the pixels. Results carry it
 * so a change of Chromium, ECharts, fonts, flags or the template page is visible.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';

export interface RenderFingerprint {
  /** Short hash of every field below. */
  hash: string;
  chromium: string;
  echarts: string;
  /** Hash of the installed font files (paths and sizes), `unknown` without fontconfig. */
  fonts: string;
  flags: readonly string[];
  /** Hash of everything the chart page loads. */
  template: string;
}

const run = promisify(execFile);

export async function fontsHash(): Promise<string> {
  try {
    const { stdout } = await run('fc-list', ['--format', '%{file}|%{index}|%{family}\\n'], { maxBuffer: 16 * 1024 * 1024 });
    const lines = stdout.split('\n').filter(Boolean).sort();
    return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
  } catch {
    return 'unknown';
  }
}

export function makeFingerprint(parts: Omit<RenderFingerprint, 'hash'>): RenderFingerprint {
  const hash = createHash('sha256')
    .update(JSON.stringify([parts.chromium, parts.echarts, parts.fonts, parts.flags, parts.template]))
    .digest('hex')
    .slice(0, 16);
  return { hash, ...parts };
}
