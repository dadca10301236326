import { redactSecrets } from './redact-secrets.js';
import type { SettingDeclaration } from './setting.js';
import { settings, type Config, type SettingKey } from './settings.js';

const entries = (): [SettingKey, SettingDeclaration<unknown>][] =>
  Object.entries(settings) as [SettingKey, SettingDeclaration<unknown>][];

function show(value: unknown): string {
  return value === undefined ? '(unset)' : String(value);
}

function documentedDefault(declaration: SettingDeclaration<unknown>): string {
  if (declaration.defaultDoc !== undefined) return declaration.defaultDoc;
  return `\`${show(declaration.defaultValue)}\``;
}

/** The text of `docs/configuration.md`, generated from the declarations. */
export function configurationMarkdown(): string {
  const rows = entries().map(
    ([, d]) => `| \`${d.env}\` | ${documentedDefault(d)} | ${d.accepts} | ${d.doc.replaceAll('|', '\\|')} |`,
  );
  return [
    '# Configuration',
    '',
    '<!-- Generated from config/settings.ts by `npm run docs:config`; do not edit by hand. -->',
    '',
    'Every setting is an environment variable. A bad value stops startup with a message that names the',
    'variable and what it accepts. `echarts-farm config` prints the effective values.',
    '',
    '| variable | default | accepts | what it does |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** The effective settings as aligned text lines, secrets hidden. */
export function effectiveSettingsText(config: Config): string {
  const width = Math.max(...entries().map(([, d]) => d.env.length));
  return entries()
    // A URL setting such as REDIS_URL may carry a password of its own.
    .map(([key, d]) => `${d.env.padEnd(width)}  ${d.secret ? '(hidden)' : redactSecrets(show(config[key]))}`)
    .join('\n');
}
