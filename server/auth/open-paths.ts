/**
 * What answers without a key even when the farm asks for one: probes, metrics and the pages of
 * documentation and dashboard (whose data calls do need a key), so load balancers and Prometheus
 * need none.
 */
const OPEN_PATHS = new Set(['/healthz', '/readyz', '/pressure', '/metrics', '/api/openapi.json']);
const OPEN_PREFIXES = ['/docs', '/dashboard'];

export function isOpenPath(path: string): boolean {
  return OPEN_PATHS.has(path) || OPEN_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}
