/**
 * What answers without a key even when the farm asks for one: probes, metrics and the pages of
 * documentation, dashboard and playground (whose data calls do need a key), so load balancers and
 * Prometheus need none.
 */
const OPEN_PATHS = new Set(['/healthz', '/readyz', '/pressure', '/metrics', '/api/openapi.json']);
const OPEN_PREFIXES = ['/docs', '/dashboard', '/playground'];
/** The playground's page; `POST /` (the legacy export) renders, so it needs a key like any render. */
const OPEN_FOR_READING = new Set(['/']);
const READING_METHODS = new Set(['GET', 'HEAD']);

export function isOpenPath(path: string, method = 'GET'): boolean {
  if (OPEN_FOR_READING.has(path)) return READING_METHODS.has(method);
  return OPEN_PATHS.has(path) || OPEN_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}
