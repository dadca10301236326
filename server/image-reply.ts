/**
 * Answers a finished render: the image bytes themselves, or a data URL in the envelope. Both carry
 * the render fingerprint and the timed steps as headers, so a client can see which build drew the
 * chart and where the time went.
 */
import type { RenderResult, RenderSteps } from '../renderer/chart-renderer.js';
import type { FarmContext } from './app-deps.js';
import { sendData } from './envelope.js';
import { missingGlyphsHeader } from '../renderer/missing-glyphs.js';

/** The `Server-Timing` names of the renderer's steps, in the order they happen. */
const TIMED_STEPS: readonly [name: string, key: keyof RenderSteps][] = [
  ['acquire', 'acquireMs'],
  ['viewport', 'viewportMs'],
  ['setOption', 'setOptionMs'],
  ['settle', 'settleMs'],
  ['capture', 'captureMs'],
  ['total', 'totalMs'],
];

/** `acquire;dur=1.2, viewport;dur=0.1, ...`: each render step in milliseconds. */
export function serverTiming(steps: RenderSteps): string {
  return TIMED_STEPS.map(([name, key]) => `${name};dur=${roundMs(steps[key])}`).join(', ');
}

function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function setRenderHeaders(ctx: FarmContext, result: RenderResult): void {
  ctx.set('X-Render-Fingerprint', result.fingerprint.hash);
  ctx.set('Server-Timing', serverTiming(result.steps));
  // `cap`: captured when only looping effects were left, after RENDER_FINISHED_WAIT_MS.
  ctx.set('X-Render-Settled-By', result.settledBy);
  if (result.missingGlyphs.length > 0) ctx.set('X-Missing-Glyphs', missingGlyphsHeader(result.missingGlyphs));
}

/** Answers the image bytes with their content type (Koa adds Content-Length for a Buffer body). */
export function replyWithImage(ctx: FarmContext, result: RenderResult): void {
  setRenderHeaders(ctx, result);
  ctx.status = 200;
  ctx.type = result.contentType;
  ctx.body = result.bytes;
}

/** Answers `{image: <data URL>, fingerprint, steps}` in the envelope. */
export function replyWithDataUrl(ctx: FarmContext, result: RenderResult): void {
  setRenderHeaders(ctx, result);
  const steps = Object.fromEntries(TIMED_STEPS.map(([, key]) => [key, roundMs(result.steps[key])]));
  sendData(ctx, {
    image: `data:${result.contentType};base64,${result.bytes.toString('base64')}`,
    fingerprint: result.fingerprint.hash,
    steps,
  });
}
