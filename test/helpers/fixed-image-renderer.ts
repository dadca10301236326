/**
 * A renderer that always answers the same bytes, for tests of what happens to an image after the
 * render (upload, URLs, retention): the storage edge is under test there, not Chromium, which the
 * renderer and fidelity tests cover.
 */
import type { ChartRenderer, RenderResult } from '../../renderer/chart-renderer.js';

/** A 1×1 PNG header: enough bytes to store, compare and serve. */
export const TINY_PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

export function fixedImageRenderer(bytes: Buffer = TINY_PNG, contentType = 'image/png'): Pick<ChartRenderer, 'render' | 'fingerprint'> {
  return {
    fingerprint: { hash: 'fixed-image-renderer' } as ChartRenderer['fingerprint'],
    render: async () => ({ bytes, contentType, settledBy: 'finished', missingGlyphs: [] }) as unknown as RenderResult,
  };
}
