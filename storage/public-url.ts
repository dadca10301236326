/**
 * URLs of objects on a public base (a custom domain, a CDN, a public bucket), built the same way by
 * every driver so `a b/ü.png` is one URL whichever driver stored it.
 */

/** The key as a URL path: every segment percent-encoded, the `/` between them kept. */
export function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/**
 * `https://host` from a host name or an http(s) URL (OSS_CUSTOM_DOMAIN accepts both); a path after
 * the host is kept, so a CDN folder works as a base. Throws TypeError when it is neither.
 */
export function baseUrlOf(hostOrUrl: string): URL {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(hostOrUrl) ? hostOrUrl : `https://${hostOrUrl}`;
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`${hostOrUrl} is not an http(s) URL`);
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new TypeError(`${hostOrUrl} must be a host or a base URL without query, fragment or credentials`);
  }
  return url;
}

/** The URL of `key` below `base` (a base URL from `baseUrlOf`, or its text). */
export function publicObjectUrl(base: URL | string, key: string): string {
  const text = typeof base === 'string' ? base : base.href;
  return `${text.replace(/\/+$/, '')}/${encodeKeyPath(key)}`;
}
