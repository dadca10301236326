/**
 * API_KEYS: `owner:key` pairs separated by commas. The owner names whose tasks a key sees; one owner
 * may hold several keys (to rotate them without downtime).
 */
import { SettingValueError, type SettingDeclaration } from './setting.js';

export interface ApiKeyEntry {
  owner: string;
  key: string;
}

const ACCEPTS = 'comma-separated owner:key pairs (owner: letters, digits, `.`, `_`, `@`, `-`; key: at least 16 characters, no commas or spaces)';
const OWNER = /^[\w.@-]{1,64}$/;
const KEY = /^[^\s,]{16,256}$/;

export function apiKeyList(): Pick<SettingDeclaration<readonly ApiKeyEntry[]>, 'accepts' | 'parse'> {
  return {
    accepts: ACCEPTS,
    parse(raw) {
      const entries: ApiKeyEntry[] = [];
      for (const pair of raw.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
        const colon = pair.indexOf(':');
        const owner = pair.slice(0, colon);
        const key = pair.slice(colon + 1);
        if (colon < 0 || !OWNER.test(owner) || !KEY.test(key)) throw new SettingValueError(ACCEPTS);
        if (entries.some((entry) => entry.key === key)) throw new SettingValueError(`${ACCEPTS}; each key once`);
        entries.push({ owner, key });
      }
      return entries;
    },
  };
}
