import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The folder of the farm's package.json, whether running from sources (tsx) or from dist/. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'pages'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('echarts-farm: cannot find the package root (package.json beside pages/)');
    dir = parent;
  }
  cached = dir;
  return dir;
}
