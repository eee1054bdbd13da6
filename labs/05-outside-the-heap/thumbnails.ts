/**
 * The image side of the thumbnail service: uploads are greyscale PGM images (the simplest real
 * image format: a short text header, then one byte per pixel), and a thumbnail is the image
 * shrunk four times in each direction by averaging each 4×4 block of pixels.
 *
 * It also exposes one gauge to the checker, `uploadBodiesHeld`: how many upload bodies passed to
 * `renderThumbnail` still have their bytes alive. It holds them only through WeakRefs, so counting
 * never keeps anything alive; read it after a forced GC to learn what your server still holds.
 * Fixture: you do not need to change this file.
 */
import { aliveCounter } from '../../kit/lab-api.ts';

/** Thumbnails are this many times smaller than the upload, in each direction. */
export const SHRINK = 4;
/** Largest upload accepted, in bytes: a 1024×1024 greyscale image plus its header. */
export const MAX_UPLOAD_BYTES = 1024 * 1024 + 64;

/** A decoded greyscale image: one byte (0 = black, 255 = white) per pixel, row after row. */
export interface GreyImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

const HEADER = /^P5\s+(\d+)\s+(\d+)\s+255\s/;

/** Read a binary PGM ("P5 <width> <height> 255", one whitespace, then the pixels); throws on anything else. */
export function decodePgm(bytes: Uint8Array): GreyImage {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 32)).toString('latin1');
  const match = HEADER.exec(head);
  if (!match) throw new Error('not a binary PGM image (it must start with "P5 <width> <height> 255")');
  const width = Number(match[1]);
  const height = Number(match[2]);
  const start = match[0].length;
  if (width < SHRINK || height < SHRINK || bytes.length - start !== width * height) {
    throw new Error(`a ${width}×${height} image needs ${width * height} pixel bytes, got ${bytes.length - start}`);
  }
  return { width, height, pixels: bytes.subarray(start) };
}

/** Encode a greyscale image as binary PGM. */
export function encodePgm(image: GreyImage): Buffer {
  const header = Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'latin1');
  return Buffer.concat([header, image.pixels]);
}

/** Shrink SHRINK times in each direction: each output pixel is the rounded mean of a SHRINK×SHRINK block. */
export function shrink(image: GreyImage): GreyImage {
  const width = Math.floor(image.width / SHRINK);
  const height = Math.floor(image.height / SHRINK);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < SHRINK; dy++) {
        const row = (y * SHRINK + dy) * image.width + x * SHRINK;
        for (let dx = 0; dx < SHRINK; dx++) sum += image.pixels[row + dx]!;
      }
      pixels[y * width + x] = Math.round(sum / (SHRINK * SHRINK));
    }
  }
  return { width, height, pixels };
}

/** A test image: a diagonal gradient whose phase depends on `seed`, with the seed written into its first 4 pixels so no two are alike. */
export function gradientPgm(width: number, height: number, seed: number): Buffer {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) pixels[y * width + x] = (x + 2 * y + seed * 7) & 0xff;
  }
  new DataView(pixels.buffer).setUint32(0, seed >>> 0);
  return encodePgm({ width, height, pixels });
}

// ---------------------------------------------------------------------------------------------
// The checker's view: which upload bodies are still alive (counted through WeakRefs, which do not
// keep their targets). The ArrayBuffer, not the Buffer object: a small view (subarray) of an
// upload keeps all its bytes.

const trackBody = aliveCounter('uploadBodiesHeld', 'upload bodies still alive');

function remember(bytes: Uint8Array): void {
  trackBody(bytes.buffer);
}

/** Decode an uploaded PGM and answer its thumbnail, also a PGM. Yields once, as real image work would. */
export async function renderThumbnail(upload: Uint8Array): Promise<Buffer> {
  remember(upload);
  await new Promise<void>((resolve) => setImmediate(resolve));
  return encodePgm(shrink(decodePgm(upload)));
}
