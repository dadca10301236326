/**
 * `POST /api/charts/compare`: two PNGs, or a render request and a PNG, compared pixel by pixel. The
 * answer has the figures of `echarts-farm compare`, whether they are within the threshold, and the
 * diff image as a data URL; a rendered image comes back too, with its fingerprint.
 */
import type { AppDeps, FarmRouter } from '../app-deps.js';
import { requestPolicyOf } from '../chart-requests.js';
import { parseCompareRequest } from '../compare-request.js';
import { sendData } from '../envelope.js';
import { jsonBody } from '../middleware/json-body.js';
import { renderWithRetry } from '../render-with-retry.js';
import type { RenderResult } from '../../renderer/chart-renderer.js';
import { compareImagesOffThread, withinAllowance } from '../../renderer/image-compare.js';

const pngDataUrl = (bytes: Buffer): string => `data:image/png;base64,${bytes.toString('base64')}`;

/** Adds the compare route to `router`. */
export function addCompareRoute(router: FarmRouter, deps: AppDeps): void {
  const policy = requestPolicyOf(deps.config);
  router.post('/api/charts/compare', jsonBody(deps.config.maxBodyBytes), async (ctx) => {
    const request = parseCompareRequest(ctx.state.body, policy);
    let rendered: RenderResult | undefined;
    let actual: Buffer;
    if ('render' in request.actual) {
      rendered = await renderWithRetry(deps.renderer, request.actual.render, ctx.state.logger);
      actual = rendered.bytes;
    } else {
      actual = request.actual.png;
    }
    const comparison = await compareImagesOffThread(request.expected, actual, {
      colorThreshold: request.colorThreshold,
      ignoreAntialiasing: request.ignoreAntialiasing,
    });
    if (rendered) ctx.set('X-Render-Fingerprint', rendered.fingerprint.hash);
    sendData(ctx, {
      match: withinAllowance(comparison, request.threshold),
      width: comparison.width,
      height: comparison.height,
      differingPixels: comparison.differingPixels,
      totalPixels: comparison.totalPixels,
      share: comparison.share,
      threshold: request.threshold,
      diff: pngDataUrl(comparison.diffPng!),
      ...(rendered ? { actual: pngDataUrl(rendered.bytes), fingerprint: rendered.fingerprint.hash } : {}),
    });
  });
}
