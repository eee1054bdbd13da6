/**
 * Lab 05, outside the heap: browsers PUT 48 KB greyscale images and get thumbnails back. The leaky
 * server keeps every upload's buffer in a Map; each entry costs a few hundred bytes of JS heap but
 * pins 48 KB of arrayBuffers, so the verdict judges heapUsed + arrayBuffers, and the exact signal
 * is the number of upload bodies still alive after a forced GC.
 */
import http from 'node:http';
import { decodePgm, encodePgm, gradientPgm, shrink } from '../../labs/05-outside-the-heap/thumbnails.ts';
import { httpRequest, runCounted, type LoadResult } from '../load/index.ts';
import { functionalCheck, type LabCheck } from './lab-check.ts';

/** 256×192 pixels: 48 KB of pixels per upload, inside the 16–64 KB of a real small photo thumbnail job. */
const WIDTH = 256;
const HEIGHT = 192;
/** Every image sent differs from every other, as real uploads do (a duplicate detector must see new images). */
let imagesSent = 0;

interface UploadAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

/** PUT `image` to /uploads/<id>; `beforeRest` runs after the first half is written (progress checks). */
function putUpload(baseUrl: string, id: string, image: Buffer, options: { agent?: http.Agent; beforeRest?: () => Promise<void> } = {}): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(`/uploads/${id}`, baseUrl), {
      method: 'PUT',
      agent: options.agent,
      headers: { 'content-type': 'image/x-portable-graymap', 'content-length': image.length },
    });
    request.setTimeout(5000, () => request.destroy(new Error('no answer within 5000 ms')));
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    if (!options.beforeRest) {
      request.end(image);
      return;
    }
    const half = Math.floor(image.length / 2);
    request.flushHeaders();
    request.write(image.subarray(0, half));
    options.beforeRest().then(
      () => request.end(image.subarray(half)),
      (error: unknown) => request.destroy(error as Error),
    );
  });
}

/** The thumbnail the service must answer for `image`, computed here with the same rules. */
function expectedThumbnail(image: Buffer): Buffer {
  return encodePgm(shrink(decodePgm(image)));
}

export const outsideTheHeapCheck: LabCheck = {
  labId: '05-outside-the-heap',
  operation: 'upload',
  env: {},
  roundSize: 40,
  warmupRounds: 2,
  measuredRounds: 4,
  series: 'heapUsed + arrayBuffers',
  mechanism: [
    {
      label: 'upload bodies still held after GC (48 KB each, in arrayBuffers: heapUsed alone does not count them)',
      read: (sample) => sample.gauges.uploadBodiesHeld ?? Number.NaN,
    },
  ],
  runRound(ctx, n): Promise<LoadResult> {
    return runCounted({ count: n, concurrency: 8, signal: ctx.signal, onProgress: ctx.onProgress }, async () => {
      const answer = await putUpload(ctx.url, ctx.uniqueId(), gradientPgm(WIDTH, HEIGHT, imagesSent++), { agent: ctx.agent });
      return answer.status;
    });
  },
  async functional(ctx) {
    const thumbnail = await functionalCheck('an uploaded image comes back as a thumbnail 4× smaller', async () => {
      const image = gradientPgm(WIDTH, HEIGHT, 11);
      const id = `check-${ctx.uniqueId()}`;
      const answer = await putUpload(ctx.url, id, image);
      const passed = answer.status === 200 && answer.body.equals(expectedThumbnail(image));
      return {
        passed,
        detail: passed
          ? `PUT /uploads/${id} with a ${WIDTH}×${HEIGHT} PGM answered its ${WIDTH / 4}×${HEIGHT / 4} thumbnail, pixel for pixel.`
          : `PUT /uploads/${id} with a ${WIDTH}×${HEIGHT} PGM answered ${answer.status} (${answer.contentType}, ${answer.body.length} bytes), not the ${WIDTH / 4}×${HEIGHT / 4} thumbnail.`,
      };
    });
    const progress = await functionalCheck('progress is reported while an upload arrives, and not after it is done', async () => {
      const image = gradientPgm(WIDTH, HEIGHT, 23);
      const id = `check-${ctx.uniqueId()}`;
      let during = '';
      let seen = false;
      const answer = await putUpload(ctx.url, id, image, {
        beforeRest: async () => {
          // The first half is on its way: poll until the server has read it (a loaded machine may take a moment).
          for (let attempt = 0; attempt < 50 && !seen; attempt++) {
            const reply = await httpRequest(ctx.url, { path: `/uploads/${id}` });
            during = `${reply.status} ${reply.body.slice(0, 80)}`;
            if (reply.status === 200) {
              const body = JSON.parse(reply.body) as { received: number; expected: number };
              seen = body.expected === image.length && body.received > 0 && body.received < image.length;
            }
            if (!seen) await new Promise((resolve) => setTimeout(resolve, 20));
          }
        },
      });
      if (!seen) return { passed: false, detail: `with half of a ${image.length}-byte upload sent, GET /uploads/${id} answered ${during}; it should report how many bytes arrived out of ${image.length}.` };
      if (answer.status !== 200) return { passed: false, detail: `the upload under watch answered ${answer.status} once complete.` };
      const after = await httpRequest(ctx.url, { path: `/uploads/${id}` });
      return {
        passed: after.status === 404,
        detail:
          after.status === 404
            ? `GET /uploads/${id} reported the bytes received while the upload arrived, and 404 once its thumbnail was sent.`
            : `after its thumbnail was sent, GET /uploads/${id} still answered ${after.status} ${after.body.slice(0, 80)}: a finished upload is not in progress.`,
      };
    });
    return [thumbnail, progress];
  },
};
