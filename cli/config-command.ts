/** `echarts-farm config`: the effective settings, or the configuration docs with --markdown. */
import { configurationMarkdown, effectiveSettingsText } from '../config/describe-config.js';
import type { Config } from '../config/settings.js';

export function configCommand(args: string[], config: Config): void {
  process.stdout.write(args.includes('--markdown') ? configurationMarkdown() : `${effectiveSettingsText(config)}\n`);
}
