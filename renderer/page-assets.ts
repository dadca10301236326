/**
 * The only things a chart page may load: the template, its script, ECharts from the installed package,
 * themes and maps. They are served from memory to the page's requests (see chart-page.ts); every
 * other request is refused.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { packageRoot } from './package-root.js';

/** A host that can never resolve, so a request that escapes interception still goes nowhere. */
export const PAGE_ORIGIN = 'http://echarts-farm.invalid';
export const PAGE_URL = `${PAGE_ORIGIN}/pages/chart.html`;

export interface PageAsset {
  contentType: string;
  body: Buffer;
}

export interface PageAssets {
  readonly echartsVersion: string;
  /** Theme names a request may ask for. */
  readonly themes: ReadonlySet<string>;
  readonly mapNames: readonly string[];
  /** Hash of everything the page loads: part of the render fingerprint. */
  readonly contentHash: string;
  lookup(url: string): PageAsset | undefined;
}

export interface PageAssetOptions {
  themesDir?: string;
  mapsDir?: string;
  allowFunctions: boolean;
}

const require = createRequire(import.meta.url);
/** ECharts registers `light`, `dark` and `default` itself; its bundled dark.js would replace that dark. */
const CORE_THEMES = ['default', 'light', 'dark'];
const JS = 'text/javascript; charset=utf-8';

function jsonFiles(dir: string | undefined): { name: string; text: string }[] {
  if (!dir) return [];
  return readdirSync(dir)
    .filter((file) => extname(file) === '.json')
    .sort()
    .map((file) => ({ name: basename(file, '.json'), text: readFileSync(join(dir, file), 'utf8') }));
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

function bundledThemes(echartsDir: string): { name: string; source: string }[] {
  const themeDir = join(echartsDir, 'theme');
  return readdirSync(themeDir)
    .filter((file) => file.endsWith('.js') && !CORE_THEMES.includes(basename(file, '.js')))
    .sort()
    .map((file) => ({ name: basename(file, '.js'), source: readFileSync(join(themeDir, file), 'utf8') }));
}

function themesScript(options: PageAssetOptions, echartsDir: string): { script: string; names: string[] } {
  const bundled = bundledThemes(echartsDir);
  const custom = jsonFiles(options.themesDir).map(({ name, text }) => {
    parseJson(text, `theme ${name} in THEMES_DIR`);
    return { name, source: `echarts.registerTheme(${JSON.stringify(name)}, ${text});` };
  });
  return {
    script: [...bundled, ...custom].map((theme) => theme.source).join('\n;\n'),
    names: [...CORE_THEMES, ...bundled.map((t) => t.name), ...custom.map((t) => t.name)],
  };
}

/** `window.farmMaps`: name → registerMap argument; the page registers them (pages/README.md). */
function mapsScript(mapsDir: string | undefined): { script: string; names: string[] } {
  const maps = jsonFiles(mapsDir);
  const entries = maps.map(({ name, text }) => {
    const map = parseJson(text, `map ${name} in MAPS_DIR`) as Record<string, unknown>;
    const isWrapped = map !== null && typeof map === 'object' && ('geoJSON' in map || 'geoJson' in map || 'svg' in map);
    // A bare GeoJSON file is wrapped; `{geoJSON, specialAreas}` and `{svg}` are passed as they are.
    return `${JSON.stringify(name)}: ${isWrapped ? text : `{"geoJSON": ${text}}`}`;
  });
  return { script: `window.farmMaps = {\n${entries.join(',\n')}\n};\n`, names: maps.map((m) => m.name) };
}

/** The page's Content-Security-Policy: a second wall behind request interception. */
export function pagePolicy(allowFunctions: boolean): string {
  return [
    "default-src 'none'",
    `script-src 'self'${allowFunctions ? " 'unsafe-eval'" : ''}`,
    "style-src 'unsafe-inline'",
    'img-src data: blob:',
    'font-src data:',
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function buildPageAssets(options: PageAssetOptions): PageAssets {
  const root = packageRoot();
  const echartsDir = dirname(require.resolve('echarts/package.json'));
  const echartsVersion = (JSON.parse(readFileSync(join(echartsDir, 'package.json'), 'utf8')) as { version: string }).version;
  const themes = themesScript(options, echartsDir);
  const maps = mapsScript(options.mapsDir);
  const files = new Map<string, PageAsset>([
    ['/pages/chart.html', { contentType: 'text/html; charset=utf-8', body: readFileSync(join(root, 'pages', 'chart.html')) }],
    ['/pages/chart.js', { contentType: JS, body: readFileSync(join(root, 'pages', 'chart.js')) }],
    ['/pages/determinism.js', { contentType: JS, body: readFileSync(join(root, 'pages', 'determinism.js')) }],
    ['/pages/option-rules.js', { contentType: JS, body: readFileSync(join(root, 'pages', 'option-rules.js')) }],
    ['/pages/glyph-check.js', { contentType: JS, body: readFileSync(join(root, 'pages', 'glyph-check.js')) }],
    ['/assets/echarts.min.js', { contentType: JS, body: readFileSync(join(echartsDir, 'dist', 'echarts.min.js')) }],
    ['/assets/themes.js', { contentType: JS, body: Buffer.from(themes.script) }],
    ['/assets/maps.js', { contentType: JS, body: Buffer.from(maps.script) }],
  ]);
  const hash = createHash('sha256');
  for (const [path, asset] of [...files].sort(([a], [b]) => a.localeCompare(b))) hash.update(path).update(asset.body);
  return {
    echartsVersion,
    themes: new Set(themes.names),
    mapNames: maps.names,
    contentHash: hash.digest('hex').slice(0, 16),
    lookup(url) {
      if (!url.startsWith(`${PAGE_ORIGIN}/`)) return undefined;
      return files.get(new URL(url).pathname);
    },
  };
}
