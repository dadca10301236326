/** Name and version of the running farm, read once from its package.json. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../renderer/package-root.js';

/** What `/api/system/info` reports about the farm itself. */
export interface PackageInfo {
  name: string;
  version: string;
}

/** Reads package.json beside pages/, whether running from sources or from dist/. */
export function readPackageInfo(): PackageInfo {
  const json = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as Partial<PackageInfo>;
  return { name: json.name ?? 'echarts-farm', version: json.version ?? '0.0.0' };
}
