/**
 * The settings `GET /api/system/info` shows: those that explain how this instance behaves (queue,
 * pool, limits, storage driver), by their env var. Secret settings are never listed, and URLs lose
 * their passwords.
 */
import { redactSecrets } from '../config/redact-secrets.js';
import { settings, type Config, type SettingKey } from '../config/settings.js';

/** What an operator asks first when two instances behave differently. */
const SHOWN: readonly SettingKey[] = [
  'redisUrl',
  'queuePrefix',
  'queueMaxConcurrent',
  'queueMaxPending',
  'queueTaskTimeout',
  'queueRetryAttempts',
  'workerLivenessMs',
  'poolBrowsers',
  'poolPagesPerBrowser',
  'poolRendersPerBrowser',
  'poolMaxRendersPerPage',
  'poolAcquireTimeoutMs',
  'renderTimeoutMs',
  'allowFunctions',
  'resultCache',
  'storage',
  'taskRetentionDays',
  'shutdownGraceMs',
  'logLevel',
];

export type ShownSettings = Record<string, string | number | boolean | null>;

/** `{ENV_VAR: value}` of the shown settings; an unset one is null. */
export function shownSettings(config: Config): ShownSettings {
  const shown: ShownSettings = {};
  for (const key of SHOWN) {
    const declaration = settings[key];
    if ('secret' in declaration && declaration.secret) continue;
    const value: unknown = config[key];
    shown[declaration.env] = typeof value === 'string' ? redactSecrets(value) : typeof value === 'number' || typeof value === 'boolean' ? value : null;
  }
  return shown;
}
