import { accessSync, constants, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { systemError } from '../errors/farm-error.js';

/** Debian's /usr/bin/chromium is a shell wrapper that adds flags of its own: prefer the binary. */
const SYSTEM_CANDIDATES = [
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Chrome builds puppeteer may have put in its cache (only when someone installed one on purpose). */
function puppeteerCacheCandidates(cacheDir: string): string[] {
  const chromeDir = join(cacheDir, 'chrome');
  try {
    return readdirSync(chromeDir)
      .sort()
      .reverse()
      .flatMap((build) => [join(chromeDir, build, 'chrome-linux64', 'chrome'), join(chromeDir, build, 'chrome-linux', 'chrome')]);
  } catch {
    return [];
  }
}

export interface LocateOptions {
  chromiumPath?: string;
  puppeteerCacheDir?: string;
  systemCandidates?: string[];
}

/** CHROMIUM_PATH, then puppeteer's cache, then the usual system paths; a clear error otherwise. */
export function locateChromium(options: LocateOptions = {}): string {
  if (options.chromiumPath) {
    if (isExecutable(options.chromiumPath)) return options.chromiumPath;
    throw systemError('INTERNAL', `CHROMIUM_PATH=${options.chromiumPath} is not an executable file`, { retryable: false });
  }
  const cacheDir = options.puppeteerCacheDir ?? process.env.PUPPETEER_CACHE_DIR ?? join(homedir(), '.cache', 'puppeteer');
  const candidates = [...puppeteerCacheCandidates(cacheDir), ...(options.systemCandidates ?? SYSTEM_CANDIDATES)];
  const found = candidates.find(isExecutable);
  if (found) return found;
  throw systemError(
    'INTERNAL',
    'No Chromium found. Install one (Debian/Ubuntu: `apt-get install -y chromium fonts-noto-cjk`) ' +
      'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    { retryable: false, details: { searched: candidates } },
  );
}
