/**
 * The `/docs` page: Swagger UI from the swagger-ui-dist package, served by the farm itself so the
 * page works offline and behind firewalls, with a Content-Security-Policy that keeps it from
 * loading or calling anything outside the farm.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the document the page shows is served. */
export const OPENAPI_PATH = '/api/openapi.json';

/** Where the page is served; its assets live below it. */
export const DOCS_PATH = '/docs';

const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

// validatorUrl: null, or Swagger UI sends the document's URL to validator.swagger.io for a badge.
// BaseLayout needs no StandaloneLayout preset and shows no top bar asking for another URL.
const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(OPENAPI_PATH)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    displayRequestDuration: true,
    defaultModelsExpandDepth: 0,
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>echarts-farm API</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/docs-init.js"></script>
</body>
</html>
`;

/**
 * Only the farm itself. Swagger UI sets inline styles (hence 'unsafe-inline' for styles only) and
 * draws some icons as data: URLs; "Try it out" calls the farm, nothing else, and shows an image
 * answer as a blob: URL.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A file of the page: from swagger-ui-dist on disk, or written here. */
export type DocsAsset = { contentType: string } & ({ file: string } | { text: string });

/** The page's files by name; nothing else below `/docs/` is served, so no path reaches the disk. */
export const DOCS_ASSETS: Record<string, DocsAsset> = {
  'swagger-ui.css': { contentType: 'text/css; charset=utf-8', file: join(swaggerUiDir, 'swagger-ui.css') },
  'swagger-ui-bundle.js': { contentType: 'text/javascript; charset=utf-8', file: join(swaggerUiDir, 'swagger-ui-bundle.js') },
  'favicon-32x32.png': { contentType: 'image/png', file: join(swaggerUiDir, 'favicon-32x32.png') },
  'docs-init.js': { contentType: 'text/javascript; charset=utf-8', text: INITIALIZER },
};

/** The HTML of `/docs`. */
export const DOCS_PAGE_HTML = PAGE;
