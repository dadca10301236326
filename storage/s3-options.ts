/**
 * The settings of the `s3` driver as they come from the environment, their checks, and the
 * validated options the driver is built from.
 */
import type { RetryPolicy } from './transient-retry.js';
import { baseUrlProblem, missing, normalizePrefix, prefixProblem } from './settings-problems.js';

/** The S3_* settings, unchecked. */
export interface S3Settings {
  /** URL of an S3-compatible server; unset: AWS S3 of the region. */
  endpoint?: string;
  region?: string;
  bucket?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key` (MinIO and most compatible servers). */
  forcePathStyle?: boolean;
  pathPrefix?: string;
  /** Public base of the bucket (CDN, public bucket); unset: URLs handed out are signed. */
  publicBaseUrl?: string;
}

/** Validated options of S3ObjectStore. */
export interface S3StoreOptions {
  endpoint: string | null;
  region: string;
  bucket: string;
  /** null: the AWS SDK's default credential chain (AWS_* variables, profile, instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  forcePathStyle: boolean;
  /** Without end slashes; empty for none. Keys already carry it: the driver uses it for its probe only. */
  pathPrefix: string;
  publicBaseUrl: string | null;
  /**
   * Limit of one request, in milliseconds.
   * @defaultValue 30000
   */
  timeoutMs?: number;
  /** Retries of uploads and deletes. @defaultValue 3 attempts, 200 ms backoff */
  retry?: RetryPolicy;
}

/** S3-compatible servers often take any region; AWS's own default is this one. */
export const DEFAULT_S3_REGION = 'us-east-1';
const REGION = /^[a-z0-9][a-z0-9-]*$/;

/** Every problem of the S3 settings, each naming its variable; empty when they are usable. */
export function s3SettingsProblems(settings: S3Settings): string[] {
  const problems: string[] = [];
  if (!settings.bucket) problems.push(missing('S3_BUCKET', 's3', 'the name of the bucket'));
  else if (/[\s/\\]/.test(settings.bucket)) problems.push(`S3_BUCKET=${JSON.stringify(settings.bucket)} is not a bucket name: it must not contain spaces or slashes.`);
  if (!settings.region && !settings.endpoint) problems.push(missing('S3_REGION', 's3', 'the region of the bucket, such as eu-central-1 (or set S3_ENDPOINT for an S3-compatible server)'));
  else if (settings.region && !REGION.test(settings.region)) {
    problems.push(`S3_REGION=${JSON.stringify(settings.region)} is not a region: it accepts a region id such as eu-central-1 (or auto).`);
  }
  if (Boolean(settings.accessKeyId) !== Boolean(settings.secretAccessKey)) {
    const [set, unset] = settings.accessKeyId ? ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] : ['S3_SECRET_ACCESS_KEY', 'S3_ACCESS_KEY_ID'];
    problems.push(`${unset} is required when ${set} is set (or unset both to use the AWS default credentials).`);
  }
  const endpoint = baseUrlProblem('S3_ENDPOINT', settings.endpoint, { hostOnly: true });
  const publicBase = baseUrlProblem('S3_PUBLIC_BASE_URL', settings.publicBaseUrl);
  const prefix = prefixProblem('S3_PATH_PREFIX', settings.pathPrefix);
  for (const problem of [endpoint, publicBase, prefix]) if (problem !== null) problems.push(problem);
  return problems;
}

/** The driver options of valid settings; throws TypeError naming the problems otherwise. */
export function s3StoreOptions(settings: S3Settings): S3StoreOptions {
  const problems = s3SettingsProblems(settings);
  if (problems.length > 0) throw new TypeError(problems.join(' '));
  return {
    endpoint: settings.endpoint ?? null,
    region: settings.region ?? DEFAULT_S3_REGION,
    bucket: settings.bucket!,
    credentials: settings.accessKeyId ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey! } : null,
    forcePathStyle: settings.forcePathStyle ?? false,
    pathPrefix: normalizePrefix(settings.pathPrefix),
    publicBaseUrl: settings.publicBaseUrl ?? null,
  };
}
