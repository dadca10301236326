/** `POST /`: the old synchronous export, `{type, width, height, option}` in, image bytes out. */
import type { AppDeps, FarmRouter } from '../app-deps.js';
import { parseLegacyExportRequest, requestPolicyOf } from '../chart-requests.js';
import { replyWithImage } from '../image-reply.js';
import { jsonBody } from '../middleware/json-body.js';
import { renderWithRetry } from '../render-with-retry.js';

/** Adds the legacy export route to `router`; it answers as `generate` with `async=false` does. */
export function addLegacyExportRoute(router: FarmRouter, deps: AppDeps): void {
  const policy = requestPolicyOf(deps.config);
  router.post('/', jsonBody(deps.config.maxBodyBytes), async (ctx) => {
    const request = parseLegacyExportRequest(ctx.state.body, policy);
    replyWithImage(ctx, await renderWithRetry(deps.renderer, request, ctx.state.logger));
  });
}
