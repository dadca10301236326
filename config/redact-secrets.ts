/**
 * Takes secrets out of text that is about to be logged or shown: the password of a URL
 * (`redis://:hunter2@host` → `redis://:[redacted]@host`) and the query string of a signed URL
 * (S3 `X-Amz-Signature`, OSS `Signature`, tokens), which grants access to a private object.
 */

export const REDACTED = '[redacted]';

/** `scheme://user:password@` → the user stays (it helps to tell accounts apart), the password goes. */
const URL_PASSWORD = /\b([a-z][a-z\d+.-]*:\/\/[^\s/@:'"]*):[^\s/@'"]*@/gi;
/** The query string of a URL, up to whitespace, a quote or a closing bracket. */
const URL_QUERY = /(\b[a-z][a-z\d+.-]*:\/\/[^\s?'"<>]+)\?([^\s'"<>)]*)/gi;
/** Query parameters that sign or authorize a request. */
const SIGNING_PARAMETER = /(?:^|&)(?:x-amz-[\w-]+|signature|ossaccesskeyid|security-token|x-oss-[\w-]+|token|access_token|sig|credential)=/i;

/** `text` with URL passwords and signed query strings replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  return text
    .replace(URL_PASSWORD, `$1:${REDACTED}@`)
    .replace(URL_QUERY, (whole, base: string, query: string) => (SIGNING_PARAMETER.test(query) ? `${base}?${REDACTED}` : whole));
}

/** A copy of `value` with every string inside redacted (objects and arrays to a few levels). */
export function redactDeep(value: unknown, depth = 6): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth - 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, depth - 1)]));
}
