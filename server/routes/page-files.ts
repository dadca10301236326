/** Serves the files of a page the farm ships (the dashboard, the playground) under the page's CSP. */
import { readFile } from 'node:fs/promises';
import type { FarmRouter } from '../app-deps.js';

/** A file of a page, read from the sources on every request: there is no build step. */
export interface PageFileRoute {
  path: string;
  contentType: string;
  file: string;
}

/** Adds a GET route per file, each answered with `contentSecurityPolicy` and no sniffing. */
export function addPageFileRoutes(router: FarmRouter, files: readonly PageFileRoute[], contentSecurityPolicy: string): void {
  for (const { path, contentType, file } of files) {
    router.get(path, async (ctx) => {
      ctx.set('content-security-policy', contentSecurityPolicy);
      ctx.set('x-content-type-options', 'nosniff');
      ctx.set('cache-control', 'no-cache');
      ctx.type = contentType;
      ctx.body = await readFile(file);
    });
  }
}
