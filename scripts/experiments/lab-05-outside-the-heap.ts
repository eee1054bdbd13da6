/**
 * What lab 05's page says about its servers, measured: 2,000 uploads of a 48 KB greyscale image to
 * the shipped server (which keeps every upload) and to the reference solution, each started as the
 * hub starts it (256 MB heap cap), with post-GC memory read before and after. heapUsed barely
 * moves; arrayBuffers and rss carry the leak, about one image per upload.
 *
 *   node --import tsx scripts/experiments/lab-05-outside-the-heap.ts
 */
import { request } from 'node:http';
import { gradientPgm } from '../../labs/05-outside-the-heap/thumbnails.ts';
import { report } from './lib/harness.ts';
import { inParallel, memoryMiB, startLabServer, type Side } from './lib/lab-server.ts';

const LAB = '05-outside-the-heap';
const UPLOADS = 2_000;
/** 256 × 192 pixels: a 48 KiB image, as the lab's checker sends. */
const WIDTH = 256;
const HEIGHT = 192;

/** PUT one image and wait for the thumbnail to come back. */
function upload(url: string, id: string, image: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const put = request(new URL(`/uploads/${id}`, url), { method: 'PUT', headers: { 'content-length': image.length } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    put.on('error', reject);
    put.end(image);
  });
}

async function measure(side: Side) {
  const server = await startLabServer(LAB, side);
  try {
    const before = await server.sample(true);
    let failed = 0;
    await inParallel(UPLOADS, 8, async (index) => {
      if ((await upload(server.url, `${side}-${index}`, gradientPgm(WIDTH, HEIGHT, index))) !== 200) failed++;
    });
    const after = await server.sample(true);
    return {
      failedUploads: failed,
      before: memoryMiB(before),
      after: memoryMiB(after),
      heapUsedBytesPerUpload: Math.round((after.heapUsed - before.heapUsed) / UPLOADS),
      arrayBuffersBytesPerUpload: Math.round((after.arrayBuffers - before.arrayBuffers) / UPLOADS),
      uploadBodiesHeld: after.gauges.uploadBodiesHeld ?? null,
    };
  } finally {
    await server.stop();
  }
}

const imageBytes = gradientPgm(WIDTH, HEIGHT, 0).length;
const lab = await measure('lab');
const solution = await measure('solution');
report(
  { uploads: UPLOADS, imageBytes, lab, solution },
  `${UPLOADS} uploads of ${imageBytes} B: lab heapUsed ${lab.before.heapUsed} -> ${lab.after.heapUsed} MiB, arrayBuffers ${lab.before.arrayBuffers} -> ${lab.after.arrayBuffers} MiB, ` +
    `rss ${lab.before.rss} -> ${lab.after.rss} MiB; solution after: ${solution.after.heapUsed} / ${solution.after.arrayBuffers} / ${solution.after.rss} MiB`,
);
