/**
 * Visual diff of two PNGs: how many pixels differ, their share, and a diff image (pixelmatch's: the
 * first image faded to grey, differing pixels in red). The CLI `compare`, `POST /api/charts/compare`,
 * golden folders and the readiness canary all compare through here, so they agree on what "differ"
 * means.
 */
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { FarmError, isFarmError, validationError } from '../errors/farm-error.js';
import { startModuleWorker } from './module-worker.js';
import { RENDER_LIMITS } from './render-request.js';

/** How strict a comparison is. */
export interface CompareOptions {
  /**
   * pixelmatch's per-pixel colour distance (OKLab HyAB, 0 to 1) under which two pixels count as
   * equal. 0 counts every pixel whose colour differs at all: the farm promises identical pixels.
   * @defaultValue 0
   */
  colorThreshold?: number;
  /**
   * Leave out pixels pixelmatch takes for anti-aliasing (drawn yellow in the diff). Useful between
   * machines with other fonts; never needed under one render fingerprint.
   * @defaultValue false
   */
  ignoreAntialiasing?: boolean;
  /**
   * Make the diff PNG. Off saves its encoding when only the figures matter (the canary).
   * @defaultValue true
   */
  diffImage?: boolean;
}

/** The figures of one comparison. */
export interface ImageComparison {
  width: number;
  height: number;
  /** Pixels that differ beyond the colour threshold. */
  differingPixels: number;
  totalPixels: number;
  /** `differingPixels / totalPixels`, 0 to 1. */
  share: number;
  /** PNG of the differences, unless `diffImage: false` was asked. */
  diffPng?: Buffer;
}

/** A decoded PNG: RGBA rows, no padding. */
export interface DecodedPng {
  width: number;
  height: number;
  data: Buffer;
}

/** Two images of different sizes: no pixel of one has a partner in the other. */
export class ImageSizeMismatchError extends FarmError {
  constructor(
    readonly expected: { width: number; height: number },
    readonly actual: { width: number; height: number },
  ) {
    super({
      reason: 'INVALID_REQUEST',
      message: `the images differ in size: ${expected.width}x${expected.height} against ${actual.width}x${actual.height}; only images of one size can be compared`,
      details: { problem: 'IMAGE_SIZE_MISMATCH', expected, actual },
    });
    this.name = 'ImageSizeMismatchError';
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The most pixels an image to compare may have: the largest image the farm renders. */
export const MAX_COMPARE_PIXELS = RENDER_LIMITS.maxDevicePixels;

/**
 * The size a PNG declares in its header (IHDR, the first chunk), read without inflating anything;
 * a VALIDATION_ERROR naming `label` when it is no PNG or declares more than `maxPixels`.
 */
export function checkPngHeader(bytes: Buffer, label = 'image', maxPixels = MAX_COMPARE_PIXELS): { width: number; height: number } {
  const invalid = (why: string) => validationError('INVALID_REQUEST', `${label} ${why}`, { problem: 'INVALID_IMAGE', field: label });
  if (!bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) throw invalid(`is not a PNG (${bytes.length} bytes without the PNG signature)`);
  if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') throw invalid('is a damaged PNG: it has no header chunk');
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  if (width * height > maxPixels) {
    throw validationError('INVALID_REQUEST', `${label} is ${width}x${height} pixels; images of at most ${maxPixels} pixels are compared`, {
      problem: 'IMAGE_TOO_LARGE',
      field: label,
      maxPixels,
    });
  }
  return { width, height };
}

/** Decodes a PNG, or throws a VALIDATION_ERROR that says which image (`label`) is no PNG or too large. */
export function decodePng(bytes: Buffer, label = 'image', maxPixels = MAX_COMPARE_PIXELS): DecodedPng {
  checkPngHeader(bytes, label, maxPixels);
  try {
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height, data: png.data };
  } catch (error) {
    throw validationError('INVALID_REQUEST', `${label} is a damaged PNG: ${(error as Error).message}`, {
      problem: 'INVALID_IMAGE',
      field: label,
    });
  }
}

/** Encodes RGBA rows as PNG. */
export function encodePng(image: DecodedPng): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  image.data.copy(png.data);
  return PNG.sync.write(png);
}

/**
 * Compares `expected` with `actual` (PNG bytes). Throws `ImageSizeMismatchError` when their sizes
 * differ and a VALIDATION_ERROR when either is no PNG.
 */
export function compareImages(expected: Buffer, actual: Buffer, options: CompareOptions = {}): ImageComparison {
  return compareDecoded(decodePng(expected, 'expected'), decodePng(actual, 'actual'), options);
}

/** A comparison's outcome as it crosses from the worker thread. */
export type CompareReply = { ok: true; comparison: ImageComparison } | { ok: false; error: { reason: FarmError['reason']; type: FarmError['type']; status: number; message: string; details: Record<string, unknown> } };

/**
 * `compareImages` in a worker thread of its own: decoding and comparing two large PNGs take seconds
 * of CPU that must not stop the event loop (probes, other requests). The headers are checked here
 * first, so an image above the limit is refused before any thread starts or anything inflates.
 */
export async function compareImagesOffThread(expected: Buffer, actual: Buffer, options: CompareOptions = {}): Promise<ImageComparison> {
  checkPngHeader(expected, 'expected');
  checkPngHeader(actual, 'actual');
  const worker = startModuleWorker(import.meta.url, 'image-compare-worker', { workerData: { expected, actual, options } });
  try {
    const reply = await new Promise<CompareReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the compare thread exited with code ${code}`)));
    });
    if (reply.ok) return { ...reply.comparison, ...(reply.comparison.diffPng ? { diffPng: Buffer.from(reply.comparison.diffPng) } : {}) };
    throw new FarmError(reply.error);
  } finally {
    void worker.terminate();
  }
}

/** What the worker thread answers for one comparison (image-compare-worker.ts). */
export function compareReply(expected: Buffer, actual: Buffer, options: CompareOptions): CompareReply {
  try {
    return { ok: true, comparison: compareImages(expected, actual, options) };
  } catch (error) {
    if (!isFarmError(error)) throw error;
    return { ok: false, error: { reason: error.reason, type: error.type, status: error.status, message: error.message, details: error.details } };
  }
}

/** `compareImages` on images already decoded. */
export function compareDecoded(expected: DecodedPng, actual: DecodedPng, options: CompareOptions = {}): ImageComparison {
  if (expected.width !== actual.width || expected.height !== actual.height) {
    throw new ImageSizeMismatchError(
      { width: expected.width, height: expected.height },
      { width: actual.width, height: actual.height },
    );
  }
  const { width, height } = expected;
  const wantDiff = options.diffImage ?? true;
  const diff = wantDiff ? Buffer.alloc(width * height * 4) : null;
  const differingPixels = pixelmatch(expected.data, actual.data, diff, width, height, {
    threshold: options.colorThreshold ?? 0,
    // pixelmatch skips what it takes for anti-aliasing unless told otherwise; under one
    // fingerprint an edge pixel that moved is a real difference.
    includeAA: !(options.ignoreAntialiasing ?? false),
  });
  const totalPixels = width * height;
  return {
    width,
    height,
    differingPixels,
    totalPixels,
    share: totalPixels === 0 ? 0 : differingPixels / totalPixels,
    ...(diff ? { diffPng: encodePng({ width, height, data: diff }) } : {}),
  };
}

/** True when the differing share is within `allowedShare` (0 allows no differing pixel at all). */
export function withinAllowance(comparison: Pick<ImageComparison, 'differingPixels' | 'share'>, allowedShare: number): boolean {
  return allowedShare <= 0 ? comparison.differingPixels === 0 : comparison.share <= allowedShare;
}

/** `12 of 480000 pixels (0.0025%)`: the figures as people read them. */
export function describeDifference(comparison: Pick<ImageComparison, 'differingPixels' | 'totalPixels' | 'share'>): string {
  const percent = comparison.share * 100;
  // Two significant digits below 1%, so a single pixel of a large image does not read as 0.00%.
  const shown = percent === 0 ? '0' : percent < 1 ? percent.toPrecision(2) : percent.toFixed(2);
  return `${comparison.differingPixels} of ${comparison.totalPixels} pixels (${shown}%)`;
}
