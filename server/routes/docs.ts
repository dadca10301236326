/**
 * `GET /api/openapi.json` (the OpenAPI document) and `GET /docs` (Swagger UI showing it), both
 * served by the farm itself: the page works offline and loads nothing from elsewhere.
 */
import { createReadStream } from 'node:fs';
import { validationError } from '../../errors/farm-error.js';
import type { FarmRouter } from '../app-deps.js';
import { DOCS_ASSETS, DOCS_CONTENT_SECURITY_POLICY, DOCS_PAGE_HTML, DOCS_PATH, OPENAPI_PATH } from '../docs-page.js';
import { buildOpenApiDocument } from '../openapi/openapi-document.js';
import type { PackageInfo } from '../package-info.js';

/** Adds the document and the docs page to `router`. */
export function addDocsRoutes(router: FarmRouter, farm: PackageInfo): void {
  // Built once: the document depends on the code only, not on the request or the settings.
  const document = buildOpenApiDocument(farm);

  router.get(OPENAPI_PATH, (ctx) => {
    ctx.set('cache-control', 'no-cache');
    ctx.body = document;
  });

  router.get(DOCS_PATH, (ctx) => {
    ctx.set('content-security-policy', DOCS_CONTENT_SECURITY_POLICY);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = DOCS_PAGE_HTML;
  });

  router.get(`${DOCS_PATH}/:asset`, (ctx) => {
    const name = ctx.params.asset!;
    const asset = Object.hasOwn(DOCS_ASSETS, name) ? DOCS_ASSETS[name] : undefined;
    if (!asset) throw validationError('NOT_FOUND', `no file ${name.slice(0, 100)} in the docs page`);
    ctx.set('cache-control', 'public, max-age=3600');
    ctx.set('x-content-type-options', 'nosniff');
    ctx.type = asset.contentType;
    ctx.body = 'file' in asset ? createReadStream(asset.file) : asset.text;
  });
}
