import { redactSecrets } from './redact-secrets.js';
import { SettingValueError, type SettingDeclaration } from './setting.js';
import { settings, type Config, type SettingKey } from './settings.js';

/** Startup stops with this; its message names every bad variable and what it accepts. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function defaultOf<T>(declaration: SettingDeclaration<T>): T {
  const { defaultValue } = declaration;
  return typeof defaultValue === 'function' ? (defaultValue as () => T)() : defaultValue;
}

/** Reads every declared setting from `env`; unknown variables are ignored. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, declaration] of Object.entries(settings) as [SettingKey, SettingDeclaration<unknown>][]) {
    const raw = env[declaration.env];
    if (raw === undefined || raw.trim() === '') {
      values[key] = defaultOf(declaration);
      continue;
    }
    try {
      values[key] = declaration.parse(raw);
    } catch (error) {
      if (!(error instanceof SettingValueError)) throw error;
      // A secret's value is never repeated, not even a malformed one, and a URL's password never reaches the message.
      const given = declaration.secret ? `${declaration.env} (value hidden: it is a secret)` : `${declaration.env}=${JSON.stringify(redactSecrets(raw))}`;
      problems.push(`${given} is not valid: it accepts ${error.message}.`);
    }
  }
  if (problems.length === 0) problems.push(...relationProblems(values as Config));
  if (problems.length > 0) throw new ConfigError(problems);
  return values as Config;
}

/** Settings that are each valid but wrong together. */
function relationProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.renderFinishedWaitMs >= config.renderTimeoutMs) {
    problems.push(
      `RENDER_FINISHED_WAIT_MS=${config.renderFinishedWaitMs} must be less than RENDER_TIMEOUT_MS=${config.renderTimeoutMs}: ` +
        'otherwise a chart whose effects never finish times out instead of being captured.',
    );
  }
  if (config.poolRendersPerBrowser > config.poolPagesPerBrowser) {
    problems.push(
      `POOL_RENDERS_PER_BROWSER=${config.poolRendersPerBrowser} must be at most POOL_PAGES_PER_BROWSER=${config.poolPagesPerBrowser}: ` +
        'a browser cannot render on more pages than it has.',
    );
  }
  if (config.signedUrlRefreshAheadSeconds >= config.signedUrlTtlSeconds) {
    problems.push(
      `SIGNED_URL_REFRESH_AHEAD_SECONDS=${config.signedUrlRefreshAheadSeconds} must be less than SIGNED_URL_TTL_SECONDS=${config.signedUrlTtlSeconds}: ` +
        'otherwise every signed URL is due for renewal as soon as it is made.',
    );
  }
  return problems;
}

/** Defaults plus overrides: what tests and embedders use instead of the environment. */
export function configWith(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), ...overrides };
}
