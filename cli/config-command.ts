/** `echarts-farm config`: the effective settings, or the configuration docs with --markdown. */
import { configurationMarkdown, effectiveSettingsText } from '../config/describe-config.js';
import { parseArgs } from 'node:util';
import type { Config } from '../config/settings.js';

export function configCommand(args: string[], config: Config): void {
  const { values } = parseArgs({ args, options: { markdown: { type: 'boolean', default: false } } });
  process.stdout.write(values.markdown ? configurationMarkdown() : `${effectiveSettingsText(config)}\n`);
}
