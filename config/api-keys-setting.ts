/**
 * API_KEYS: `owner:key` pairs separated by commas. The owner names whose tasks a key sees; one owner
 * may hold several keys (to rotate them without downtime). API_KEYS_FILE: one line per owner with
 * its keys, its scope and its own limits and webhook secret.
 */
import { readFileSync } from 'node:fs';
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

/** One owner of API_KEYS_FILE: its keys, scope and the limits that replace the farm-wide ones. */
export interface OwnerEntry {
  owner: string;
  keys: readonly string[];
  /** `scope=admin`: sees every owner's tasks and the system views. */
  admin: boolean;
  /** Charts a minute (replaces RATE_LIMIT_PER_MINUTE for this owner). */
  ratePerMinute?: number;
  /** Pending tasks at once (replaces OWNER_MAX_PENDING for this owner). */
  maxPending?: number;
  /** Signs this owner's webhooks instead of WEBHOOK_SECRET. */
  webhookSecret?: string;
}

const FILE_ACCEPTS =
  'a readable file, one owner a line: `<owner> key=<key> [key=<key>...] [scope=admin] [rate=<charts a minute>] [maxPending=<tasks>] [webhookSecret=<secret>]`; `#` starts a comment';

function fileLineError(lineNumber: number, problem: string): SettingValueError {
  // Names the line and the problem, never the line itself: it holds keys.
  return new SettingValueError(`${FILE_ACCEPTS} (line ${lineNumber}: ${problem})`);
}

function countField(value: string, lineNumber: number, name: string): number {
  if (!/^\d{1,9}$/.test(value)) throw fileLineError(lineNumber, `${name} must be a whole number`);
  return Number(value);
}

/** Parses the text of an API_KEYS_FILE. */
export function parseOwnerEntries(text: string): OwnerEntry[] {
  const entries: OwnerEntry[] = [];
  const seenKeys = new Set<string>();
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const lineNumber = index + 1;
    const line = rawLine.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const [owner = '', ...fields] = line.split(/\s+/);
    if (!OWNER.test(owner)) throw fileLineError(lineNumber, 'the owner name is not valid');
    if (entries.some((entry) => entry.owner === owner)) throw fileLineError(lineNumber, `owner ${owner} has a line already`);
    const entry: { -readonly [K in keyof OwnerEntry]: OwnerEntry[K] } & { keys: string[] } = { owner, keys: [], admin: false };
    for (const field of fields) {
      const equals = field.indexOf('=');
      const name = field.slice(0, equals);
      const value = field.slice(equals + 1);
      if (equals <= 0 || value === '') throw fileLineError(lineNumber, 'every field is name=value');
      if (name === 'key') {
        if (!KEY.test(value)) throw fileLineError(lineNumber, 'a key has at least 16 characters and no commas');
        if (seenKeys.has(value)) throw fileLineError(lineNumber, 'each key once');
        seenKeys.add(value);
        entry.keys.push(value);
      } else if (name === 'scope') {
        if (value !== 'admin' && value !== 'user') throw fileLineError(lineNumber, 'scope is admin or user');
        entry.admin = value === 'admin';
      } else if (name === 'rate') entry.ratePerMinute = countField(value, lineNumber, 'rate');
      else if (name === 'maxPending') entry.maxPending = countField(value, lineNumber, 'maxPending');
      else if (name === 'webhookSecret') entry.webhookSecret = value;
      else throw fileLineError(lineNumber, `unknown field ${name}`);
    }
    if (entry.keys.length === 0) throw fileLineError(lineNumber, 'an owner needs at least one key');
    entries.push(entry);
  });
  return entries;
}

export function ownerFile(): Pick<SettingDeclaration<readonly OwnerEntry[]>, 'accepts' | 'parse'> {
  return {
    accepts: FILE_ACCEPTS,
    parse(raw) {
      const path = raw.trim();
      if (path === '') return [];
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        // The reason, not the path: the setting is kept out of messages like the keys it points at.
        throw new SettingValueError(`${FILE_ACCEPTS} (the file cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      }
      return parseOwnerEntries(text);
    },
  };
}
