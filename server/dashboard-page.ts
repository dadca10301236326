/**
 * The `/dashboard` page: plain HTML, CSS and a small script in server/dashboard/, served by the farm
 * itself with a Content-Security-Policy that lets it load and call nothing outside the farm.
 */
import { join } from 'node:path';
import { packageRoot } from '../renderer/package-root.js';

/** Where the page is served; its files live below it. */
export const DASHBOARD_PATH = '/dashboard';

/** Where the page's files are on disk: read from the sources, so there is no build step. */
const DASHBOARD_DIR = join(packageRoot(), 'server', 'dashboard');

/** A file of the page. */
export interface DashboardFile {
  /** Path below which it is served. */
  path: string;
  contentType: string;
  file: string;
  /** How the OpenAPI document names and sums it up. */
  operationId: string;
  summary: string;
}

/** The page and its files; nothing else below `/dashboard` is served. */
export const DASHBOARD_FILES: readonly DashboardFile[] = [
  { path: DASHBOARD_PATH, contentType: 'text/html; charset=utf-8', file: join(DASHBOARD_DIR, 'index.html'), operationId: 'getDashboardPage', summary: 'The live dashboard: queue, throughput, pool, workers, recent tasks' },
  { path: `${DASHBOARD_PATH}/dashboard.js`, contentType: 'text/javascript; charset=utf-8', file: join(DASHBOARD_DIR, 'dashboard.js'), operationId: 'getDashboardScript', summary: 'The script of the dashboard' },
  { path: `${DASHBOARD_PATH}/dashboard.css`, contentType: 'text/css; charset=utf-8', file: join(DASHBOARD_DIR, 'dashboard.css'), operationId: 'getDashboardStyleSheet', summary: 'The style sheet of the dashboard' },
  { path: `${DASHBOARD_PATH}/favicon.svg`, contentType: 'image/svg+xml', file: join(DASHBOARD_DIR, 'favicon.svg'), operationId: 'getDashboardIcon', summary: 'The icon of the dashboard' },
];

/**
 * Only the farm itself: its script and style sheet (no inline script or style), its JSON routes,
 * and thumbnails from `/api/images` as blob: URLs (fetched with the caller's key).
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
