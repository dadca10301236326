import { PNG } from 'pngjs';

export interface DecodedImage {
  width: number;
  height: number;
  data: Buffer;
}

export function decodePng(bytes: Buffer): DecodedImage {
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, data: png.data };
}

/** Pixels whose RGBA differ; -1 when the sizes differ. */
export function differingPixels(a: Buffer, b: Buffer): number {
  const left = decodePng(a);
  const right = decodePng(b);
  if (left.width !== right.width || left.height !== right.height) return -1;
  let count = 0;
  for (let i = 0; i < left.data.length; i += 4) {
    if (left.data.readUInt32BE(i) !== right.data.readUInt32BE(i)) count += 1;
  }
  return count;
}
