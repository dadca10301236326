/**
 * Headers that keep an answer data: `nosniff` on every answer, so a browser never reads one as
 * something other than its declared type, and on SVG a policy that runs nothing and loads nothing,
 * so an image opened from the farm's origin stays a picture whatever its text holds.
 */
import type { FarmMiddleware } from '../app-deps.js';

/** The policy of every SVG answer: inline styles only (ECharts' own), no script, no fetch, a sandbox. */
export const SVG_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/** Sets the headers once the route (or the error envelope below it) has chosen the answer. */
export function answerHeaders(): FarmMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      if (!ctx.headerSent) {
        ctx.set('X-Content-Type-Options', 'nosniff');
        if (ctx.response.is('image/svg+xml')) ctx.set('Content-Security-Policy', SVG_CONTENT_SECURITY_POLICY);
      }
    }
  };
}
