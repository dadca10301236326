/**
 * Checks shared by the drivers' settings. Each returns a sentence that names the environment
 * variable and what it accepts, or null; the composition root turns the sentences into the startup
 * error (ConfigError), so a wrong setting is reported before anything starts.
 */
import { isIP } from 'node:net';
import { pathProblem } from './key-rules.js';
import { baseUrlOf } from './public-url.js';

/** A required setting of `driver` that is unset. */
export function missing(env: string, driver: string, what: string): string {
  return `${env} is required with STORAGE=${driver}: ${what}.`;
}

/** A path prefix (OSS_PATH_PREFIX, S3_PATH_PREFIX) without its end slashes, checked by the key rules. */
export function normalizePrefix(value: string | undefined): string {
  return (value ?? '').trim().replace(/^\/+|\/+$/g, '');
}

/** The problem of a path prefix setting, or null: it must follow the key rules (no `..`, no empty segments, ...). */
export function prefixProblem(env: string, value: string | undefined): string | null {
  const prefix = normalizePrefix(value);
  if (prefix === '') return null;
  const problem = pathProblem(prefix);
  return problem === null ? null : `${env}=${JSON.stringify(value)} is not a usable folder: it ${problem}.`;
}

/**
 * A host name or http(s) base URL (OSS_ENDPOINT, OSS_CUSTOM_DOMAIN, S3_ENDPOINT, S3_PUBLIC_BASE_URL).
 * @param options.hostOnly refuse a path after the host (endpoints have none)
 * @param options.noIp refuse an IP address (ali-oss addresses a bucket by host name)
 */
export function baseUrlProblem(env: string, value: string | undefined, options: { hostOnly?: boolean; noIp?: boolean } = {}): string | null {
  if (value === undefined) return null;
  let url: URL;
  try {
    url = baseUrlOf(value);
  } catch {
    return `${env}=${JSON.stringify(value)} is not valid: it accepts a host name or an http(s) URL without query or credentials.`;
  }
  if (options.hostOnly && url.pathname !== '/') return `${env}=${JSON.stringify(value)} must not have a path: give the host only.`;
  if (options.noIp && isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) {
    return `${env}=${JSON.stringify(value)} is an IP address: the OSS client addresses buckets by host name, so give one.`;
  }
  return null;
}
