/**
 * The settings of the `oss` driver as they come from the environment, their checks, and the
 * validated options the driver is built from.
 */
import { isIP } from 'node:net';
import { baseUrlOf } from './public-url.js';
import type { RetryPolicy } from './transient-retry.js';
import { baseUrlProblem, missing, normalizePrefix, prefixProblem } from './settings-problems.js';

/** The OSS_* settings, unchecked. */
export interface OssSettings {
  accessKeyId?: string;
  accessKeySecret?: string;
  bucket?: string;
  /** `oss-cn-hangzhou`; `cn-hangzhou` is read the same. */
  region?: string;
  /** Host or URL of another endpoint (internal, accelerated, OSS-compatible). */
  endpoint?: string;
  /** Host or base URL bound to the bucket (CDN); URLs handed out use it. */
  customDomain?: string;
  pathPrefix?: string;
  /** Private bucket: URLs handed out are signed. */
  private?: boolean;
}

/** Validated options of OssObjectStore. */
export interface OssStoreOptions {
  accessKeyId: string;
  accessKeySecret: string;
  bucket: string;
  /** With the `oss-` in front. Unused for requests when `endpoint` is set. */
  region: string | null;
  endpoint: string | null;
  customDomain: string | null;
  /** Without end slashes; empty for none. Keys already carry it: the driver uses it for its probe only. */
  pathPrefix: string;
  private: boolean;
  /**
   * Limit of one request to OSS, in milliseconds.
   * @defaultValue 30000
   */
  timeoutMs?: number;
  /** Retries of uploads and deletes. @defaultValue 3 attempts, 200 ms backoff */
  retry?: RetryPolicy;
}

// OSS bucket naming rules: 3–63 characters, lowercase letters, digits and hyphens, no hyphen at an end.
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z0-9][a-z0-9-]*$/;

/** `cn-hangzhou` → `oss-cn-hangzhou`: both spellings appear in Aliyun's own documentation. */
export function ossRegion(region: string): string {
  return region.startsWith('oss-') ? region : `oss-${region}`;
}

/** True when `endpoint` (a valid OSS_ENDPOINT) addresses an IP: a VPC endpoint, an OSS-compatible server. */
export function isIpEndpoint(endpoint: string): boolean {
  return isIP(baseUrlOf(endpoint).hostname.replace(/^\[|\]$/g, '')) !== 0;
}

/**
 * An IP endpoint is reached by its address, but ali-oss names the bucket in the Host header,
 * `<bucket>.<region host>`: it needs the region. It cannot sign URLs for an IP, so a private bucket
 * there needs a custom domain to sign for.
 */
function ipEndpointProblem(settings: OssSettings): string | null {
  if (settings.endpoint === undefined || !isIpEndpoint(settings.endpoint)) return null;
  const named = `OSS_ENDPOINT=${JSON.stringify(settings.endpoint)} is an IP address`;
  if (!settings.region) return `${named}: set OSS_REGION too, since the bucket is named in the Host header (<bucket>.<region host>).`;
  if (settings.private && !settings.customDomain) return `${named} and OSS_PRIVATE=true: URLs cannot be signed for an IP address; set OSS_CUSTOM_DOMAIN to sign for.`;
  return null;
}

/** Every problem of the OSS settings, each naming its variable; empty when they are usable. */
export function ossSettingsProblems(settings: OssSettings): string[] {
  const problems: string[] = [];
  if (!settings.accessKeyId) problems.push(missing('OSS_ACCESS_KEY_ID', 'oss', 'the AccessKey ID of a RAM user that may put, get and delete objects'));
  if (!settings.accessKeySecret) problems.push(missing('OSS_ACCESS_KEY_SECRET', 'oss', 'the AccessKey secret of OSS_ACCESS_KEY_ID'));
  if (!settings.bucket) problems.push(missing('OSS_BUCKET', 'oss', 'the name of the bucket'));
  else if (!BUCKET_NAME.test(settings.bucket)) {
    problems.push(`OSS_BUCKET=${JSON.stringify(settings.bucket)} is not a bucket name: it accepts 3 to 63 lowercase letters, digits and hyphens, with no hyphen at either end.`);
  }
  if (!settings.region && !settings.endpoint) problems.push(missing('OSS_REGION', 'oss', 'the region of the bucket, such as oss-cn-hangzhou (or set OSS_ENDPOINT)'));
  else if (settings.region && !REGION.test(settings.region)) {
    problems.push(`OSS_REGION=${JSON.stringify(settings.region)} is not a region: it accepts a region id such as oss-cn-hangzhou.`);
  }
  const endpoint = baseUrlProblem('OSS_ENDPOINT', settings.endpoint, { hostOnly: true }) ?? ipEndpointProblem(settings);
  const domain = baseUrlProblem('OSS_CUSTOM_DOMAIN', settings.customDomain, { hostOnly: true, noIp: true });
  const prefix = prefixProblem('OSS_PATH_PREFIX', settings.pathPrefix);
  for (const problem of [endpoint, domain, prefix]) if (problem !== null) problems.push(problem);
  return problems;
}

/** The driver options of valid settings; throws TypeError naming the problems otherwise. */
export function ossStoreOptions(settings: OssSettings): OssStoreOptions {
  const problems = ossSettingsProblems(settings);
  if (problems.length > 0) throw new TypeError(problems.join(' '));
  return {
    accessKeyId: settings.accessKeyId!,
    accessKeySecret: settings.accessKeySecret!,
    bucket: settings.bucket!,
    region: settings.region ? ossRegion(settings.region) : null,
    endpoint: settings.endpoint ?? null,
    customDomain: settings.customDomain ?? null,
    pathPrefix: normalizePrefix(settings.pathPrefix),
    private: settings.private ?? false,
  };
}
