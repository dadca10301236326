/** The visual diff on crafted images: every figure is known in advance. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { FarmError } from '../../errors/farm-error.js';
import { compareImages, decodePng, describeDifference, ImageSizeMismatchError, withinAllowance } from '../../renderer/image-compare.js';

/** A PNG of one colour, with `changes` pixels painted another. */
function craftPng(width: number, height: number, changes: { x: number; y: number; rgba: [number, number, number, number] }[] = []): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i += 1) png.data.set([240, 244, 248, 255], i * 4);
  for (const { x, y, rgba } of changes) png.data.set(rgba, (y * width + x) * 4);
  return PNG.sync.write(png);
}

describe('compareImages', () => {
  it('finds no differing pixel between identical images', () => {
    const comparison = compareImages(craftPng(40, 30), craftPng(40, 30));
    assert.deepEqual(
      { differing: comparison.differingPixels, total: comparison.totalPixels, share: comparison.share },
      { differing: 0, total: 1200, share: 0 },
    );
    assert.ok(withinAllowance(comparison, 0));
  });

  it('finds the one pixel that differs, however slightly, and marks it red in the diff', () => {
    const comparison = compareImages(craftPng(40, 30), craftPng(40, 30, [{ x: 7, y: 11, rgba: [240, 244, 249, 255] }]));
    assert.equal(comparison.differingPixels, 1);
    assert.equal(comparison.share, 1 / 1200);
    assert.equal(withinAllowance(comparison, 0), false, 'no allowance: one pixel is too many');
    assert.equal(withinAllowance(comparison, 0.001), true, '0.1% allows one pixel of 1200');
    const diff = decodePng(comparison.diffPng!);
    const at = (x: number, y: number) => [...diff.data.subarray((y * 40 + x) * 4, (y * 40 + x) * 4 + 4)];
    assert.deepEqual(at(7, 11), [255, 0, 0, 255]);
    assert.notDeepEqual(at(8, 11), [255, 0, 0, 255]);
    assert.equal(describeDifference(comparison), '1 of 1200 pixels (0.083%)');
  });

  it('lets a colour threshold pass a change of one level but not a real one', () => {
    const expected = craftPng(10, 10);
    const faint = craftPng(10, 10, [{ x: 1, y: 1, rgba: [240, 244, 249, 255] }]);
    const strong = craftPng(10, 10, [{ x: 1, y: 1, rgba: [20, 20, 20, 255] }]);
    assert.equal(compareImages(expected, faint, { colorThreshold: 0.05 }).differingPixels, 0);
    assert.equal(compareImages(expected, strong, { colorThreshold: 0.05 }).differingPixels, 1);
  });

  it('refuses images of different sizes with a typed error that names both sizes', () => {
    assert.throws(
      () => compareImages(craftPng(40, 30), craftPng(30, 40)),
      (error: unknown) => {
        assert.ok(error instanceof ImageSizeMismatchError);
        assert.ok(error instanceof FarmError);
        assert.equal(error.type, 'VALIDATION_ERROR');
        assert.deepEqual(error.expected, { width: 40, height: 30 });
        assert.deepEqual(error.actual, { width: 30, height: 40 });
        assert.match(error.message, /differ in size: 40x30 against 30x40/);
        assert.equal(error.details.problem, 'IMAGE_SIZE_MISMATCH');
        return true;
      },
    );
  });

  it('says which image is no PNG', () => {
    assert.throws(() => compareImages(craftPng(2, 2), Buffer.from('GIF89a...')), /actual is not a PNG/);
    const truncated = craftPng(20, 20).subarray(0, 40);
    assert.throws(() => compareImages(truncated, craftPng(20, 20)), /expected is a damaged PNG/);
  });

  it('skips the diff image when it is not wanted', () => {
    assert.equal(compareImages(craftPng(5, 5), craftPng(5, 5), { diffImage: false }).diffPng, undefined);
  });
});
