/**
 * The shape of one setting and the small parsers every declaration is built from. A parser either
 * returns the value or throws `SettingValueError` with what the variable accepts, so startup errors
 * can name the variable and its accepted values in one line.
 */
import { isIP } from 'node:net';

export class SettingValueError extends Error {}

export interface SettingDeclaration<T> {
  /** Environment variable that sets it. */
  readonly env: string;
  /** One line for `docs/configuration.md` and `echarts-farm config`. */
  readonly doc: string;
  /** What the variable accepts, in words (also the text of a startup error). */
  readonly accepts: string;
  /** Value when the variable is unset or empty; a function when it depends on the host. */
  readonly defaultValue: T | (() => T);
  /** How the default reads in the docs when it depends on the host. */
  readonly defaultDoc?: string;
  /** Hidden from printed settings (keys, passwords). */
  readonly secret?: boolean;
  parse(raw: string): T;
}

export function integer(min: number, max: number): Pick<SettingDeclaration<number>, 'accepts' | 'parse'> {
  const accepts = `an integer from ${min} to ${max}`;
  return {
    accepts,
    parse(raw) {
      if (!/^-?\d+$/.test(raw.trim())) throw new SettingValueError(accepts);
      const value = Number(raw.trim());
      if (!Number.isSafeInteger(value) || value < min || value > max) throw new SettingValueError(accepts);
      return value;
    },
  };
}

export function boolean(): Pick<SettingDeclaration<boolean>, 'accepts' | 'parse'> {
  const accepts = 'true or false (also 1/0, yes/no, on/off)';
  return {
    accepts,
    parse(raw) {
      const value = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(value)) return true;
      if (['0', 'false', 'no', 'off'].includes(value)) return false;
      throw new SettingValueError(accepts);
    },
  };
}

export function oneOf<const T extends string>(
  values: readonly T[],
): Pick<SettingDeclaration<T>, 'accepts' | 'parse'> {
  const accepts = `one of ${values.join(', ')}`;
  return {
    accepts,
    parse(raw) {
      const value = raw.trim() as T;
      if (!values.includes(value)) throw new SettingValueError(accepts);
      return value;
    },
  };
}

export function optionalText(accepts: string): Pick<SettingDeclaration<string | undefined>, 'accepts' | 'parse'> {
  return {
    accepts,
    parse(raw) {
      return raw.trim() === '' ? undefined : raw.trim();
    },
  };
}

/** Comma-separated host names, IP addresses and CIDR ranges (`hooks.example.com, 10.1.0.0/16, fd00::/8`). */
export function hostList(): Pick<SettingDeclaration<readonly string[]>, 'accepts' | 'parse'> {
  const accepts = 'comma-separated host names, IP addresses and CIDR ranges (10.1.0.0/16, fd00::/8)';
  const hostName = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$/i;
  return {
    accepts,
    parse(raw) {
      const entries = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
      for (const entry of entries) {
        const [network = '', prefix, extra] = entry.split('/');
        const family = isIP(network);
        const maxPrefix = family === 6 ? 128 : 32;
        const rangeOk = family !== 0 && extra === undefined && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix));
        if (!rangeOk && (prefix !== undefined || !hostName.test(entry))) throw new SettingValueError(accepts);
      }
      return entries;
    },
  };
}

/** A URL whose scheme is one of `schemes` (without the colon), e.g. `['redis', 'rediss']`. */
export function optionalUrl(schemes: readonly string[]): Pick<SettingDeclaration<string | undefined>, 'accepts' | 'parse'> {
  const accepts = `a ${schemes.map((scheme) => `${scheme}://`).join(' or ')} URL`;
  return {
    accepts,
    parse(raw) {
      const value = raw.trim();
      if (value === '') return undefined;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new SettingValueError(accepts);
      }
      if (!schemes.includes(url.protocol.slice(0, -1)) || url.hostname === '') throw new SettingValueError(accepts);
      return value;
    },
  };
}

export function declare<T>(declaration: SettingDeclaration<T>): SettingDeclaration<T> {
  return declaration;
}
