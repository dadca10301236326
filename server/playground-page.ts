/**
 * The playground at `/`: paste or pick an option, see the farm's image, copy the same request as
 * curl, CLI or client call. Plain HTML, CSS and script in server/playground/, served by the farm with
 * a Content-Security-Policy that lets it load and call nothing outside the farm.
 */
import { join } from 'node:path';
import { packageRoot } from '../renderer/package-root.js';
import { DASHBOARD_CONTENT_SECURITY_POLICY, type DashboardFile } from './dashboard-page.js';

/** Where the page is served; `/playground/...` holds its files. */
export const PLAYGROUND_PATH = '/';

const PLAYGROUND_DIR = join(packageRoot(), 'server', 'playground');

/** The page and its files; nothing else below `/playground` is served. */
export const PLAYGROUND_FILES: readonly DashboardFile[] = [
  { path: PLAYGROUND_PATH, contentType: 'text/html; charset=utf-8', file: join(PLAYGROUND_DIR, 'index.html'), operationId: 'getPlaygroundPage', summary: 'The playground: an option in, the image out, and the same request as curl, CLI and client call' },
  { path: '/playground/playground.js', contentType: 'text/javascript; charset=utf-8', file: join(PLAYGROUND_DIR, 'playground.js'), operationId: 'getPlaygroundScript', summary: 'The script of the playground' },
  { path: '/playground/playground.css', contentType: 'text/css; charset=utf-8', file: join(PLAYGROUND_DIR, 'playground.css'), operationId: 'getPlaygroundStyleSheet', summary: 'The style sheet of the playground' },
  { path: '/playground/examples.json', contentType: 'application/json; charset=utf-8', file: join(PLAYGROUND_DIR, 'examples.json'), operationId: 'getPlaygroundExamples', summary: 'The example options of the playground (from the ECharts examples)' },
];

/**
 * The dashboard's policy, for the same needs: its own files, its JSON routes, and the image the farm
 * answers shown as a blob: URL.
 */
export const PLAYGROUND_CONTENT_SECURITY_POLICY = DASHBOARD_CONTENT_SECURITY_POLICY;
