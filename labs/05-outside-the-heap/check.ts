/**
 * Lab 05's check plan. The unit of load is an upload to PUT /uploads/<id>, on every path a real
 * browser walks: most are 48 KiB greyscale images that must come back as their exact thumbnail;
 * some are not images (the service must answer 422), some are abandoned halfway (the tab closed),
 * some arrive slowly in pieces on their own connection, and some announce a body too big (413).
 * The leaky server keeps every upload's buffer in a Map: a few hundred bytes of JS heap per entry
 * but 48 KiB of arrayBuffers, so the memory judged is heap objects plus arrayBuffers, and the
 * fixture counts the upload bodies still alive after GC. A fix that cleans up only when the
 * thumbnail succeeds still leaks on the other paths.
 */
import http from 'node:http';
import { functionalCheck, LoadTally, simpleRun, type LabCheck, type LabContext, type LabRun } from '../../kit/check-plan.ts';
import { httpRequest, runCounted } from '../../kit/load/index.ts';
import { decodePgm, encodePgm, gradientPgm, MAX_UPLOAD_BYTES, shrink } from './thumbnails.ts';

/** 256×192 pixels: 48 KiB of pixels per upload, inside the 16–64 KiB of a real small photo thumbnail job. */
const WIDTH = 256;
const HEIGHT = 192;

const THUMBNAIL = 'every image uploaded under load comes back as its exact thumbnail';
const REFUSED = 'a body that is not an image is refused with 422, and one too big with 413';
const ABANDONED = 'an upload abandoned halfway is no longer reported in progress';

interface UploadAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

interface PutOptions {
  agent?: http.Agent | false;
  /** Announce this Content-Length instead of the body's. */
  contentLength?: number;
  /** Send the body in this many pieces, `gapMs` apart. */
  pieces?: number;
  gapMs?: number;
  /** Runs after the first half is written (progress checks); its rejection aborts the upload. */
  beforeRest?: () => Promise<void>;
  /** Write the first half and then drop the connection, as a closed tab does. */
  abandon?: boolean;
}

/** PUT `image` to /uploads/<id>; resolves with the answer, or with status 0 for an abandoned upload. */
function putUpload(baseUrl: string, id: string, image: Buffer, options: PutOptions = {}): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(`/uploads/${id}`, baseUrl), {
      method: 'PUT',
      agent: options.agent,
      headers: { 'content-type': 'image/x-portable-graymap', 'content-length': options.contentLength ?? image.length },
    });
    request.setTimeout(5000, () => request.destroy(new Error('no answer within 5000 ms')));
    request.on('error', (error) => (options.abandon ? resolve({ status: 0, contentType: '', body: Buffer.alloc(0) }) : reject(error)));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        // A body announced bigger than sent is never finished: let the connection go.
        if (options.contentLength !== undefined) request.destroy();
        resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks) });
      });
      response.on('error', reject);
    });
    const half = Math.floor(image.length / 2);
    if (options.abandon) {
      request.flushHeaders();
      request.write(image.subarray(0, half), () => setTimeout(() => request.destroy(), 2));
      request.on('close', () => resolve({ status: 0, contentType: '', body: Buffer.alloc(0) }));
      return;
    }
    if (options.beforeRest) {
      request.flushHeaders();
      request.write(image.subarray(0, half));
      options.beforeRest().then(
        () => request.end(image.subarray(half)),
        (error: unknown) => request.destroy(error as Error),
      );
      return;
    }
    const pieces = options.pieces ?? 1;
    if (pieces === 1) {
      request.end(image);
      return;
    }
    const size = Math.ceil(image.length / pieces);
    const writePiece = (i: number) => {
      const piece = image.subarray(i * size, (i + 1) * size);
      if (i === pieces - 1) request.end(piece);
      else {
        request.write(piece);
        setTimeout(() => writePiece(i + 1), options.gapMs ?? 5);
      }
    };
    request.flushHeaders();
    writePiece(0);
  });
}

/** The thumbnail the service must answer for `image`, computed here with the same rules. */
function expectedThumbnail(image: Buffer): Buffer {
  return encodePgm(shrink(decodePgm(image)));
}

/** A body of `size` bytes that is not a PGM image. */
function notAnImage(size: number, seed: number): Buffer {
  const body = Buffer.alloc(size, seed & 0xff);
  body.write('GIF89a', 0, 'latin1');
  return body;
}

async function startRun(ctx: LabContext): Promise<LabRun> {
  const tally = new LoadTally();
  tally.promise(THUMBNAIL, (kept) => `${kept} images (on kept-alive and fresh connections, some sent slowly in pieces) came back as their ${WIDTH / 4}×${HEIGHT / 4} thumbnails, pixel for pixel.`);
  tally.promise(REFUSED, (kept) => `${kept} uploads that were not images, or announced more than ${MAX_UPLOAD_BYTES} bytes, were refused with 422 or 413.`);
  tally.promise(ABANDONED, (kept) => `${kept} uploads abandoned halfway were no longer reported in progress once the connection closed.`);
  const abandoned: string[] = [];
  let sent = 0;

  const round = (n: number) =>
    runCounted({ count: n, concurrency: 8, signal: ctx.signal, onProgress: ctx.onProgress }, async () => {
      const number = sent++;
      const id = `u-${ctx.uniqueId()}`;
      const image = gradientPgm(WIDTH, HEIGHT, number);
      switch (number % 10) {
        case 3: {
          const answer = await putUpload(ctx.url, id, notAnImage(image.length, number), { agent: ctx.agent });
          tally.check(REFUSED, answer.status === 422, () => `PUT /uploads/${id} with ${image.length} bytes that are not a PGM image answered ${answer.status}, not 422.`);
          return answer.status === 422 ? 200 : answer.status;
        }
        case 6: {
          await putUpload(ctx.url, id, image, { agent: false, abandon: true });
          abandoned.push(id);
          return;
        }
        case 8: {
          const answer = await putUpload(ctx.url, id, image.subarray(0, 64), { agent: false, contentLength: MAX_UPLOAD_BYTES + 1 });
          tally.check(REFUSED, answer.status === 413, () => `PUT /uploads/${id} announcing ${MAX_UPLOAD_BYTES + 1} bytes answered ${answer.status}, not 413.`);
          return answer.status === 413 ? 200 : answer.status;
        }
        default: {
          const slow = number % 10 === 9;
          const answer = await putUpload(ctx.url, id, image, slow ? { agent: false, pieces: 4, gapMs: 3 } : { agent: ctx.agent });
          const passed = answer.status === 200 && answer.body.equals(expectedThumbnail(image));
          tally.check(THUMBNAIL, passed, () => `PUT /uploads/${id} with a ${WIDTH}×${HEIGHT} PGM${slow ? ' sent slowly in 4 pieces' : ''} answered ${answer.status} (${answer.contentType}, ${answer.body.length} bytes), not its thumbnail.`);
          return answer.status;
        }
      }
    });

  const verify = async () => {
    // The abandoned uploads of the load: the server has seen each connection close by now.
    for (const id of abandoned.slice(-5)) {
      const answer = await httpRequest(ctx.url, { path: `/uploads/${id}` });
      tally.check(ABANDONED, answer.status === 404, () => `GET /uploads/${id}, abandoned halfway long before, still answered ${answer.status} ${answer.body.slice(0, 60)}: an upload whose connection closed is not in progress.`);
    }
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
    return [...tally.results(), progress];
  };

  return simpleRun(round, verify);
}

const check: LabCheck = {
  env: {},
  // A kept upload is 48 KiB; 60 uploads a round also make a 200 B leak 12 KiB a round.
  roundSize: 60,
  series: 'heap objects + arrayBuffers',
  counters: [
    {
      label: 'upload bodies still held after GC (48 KiB each, in arrayBuffers: heapUsed alone does not count them)',
      read: (sample) => sample.gauges.uploadBodiesHeld ?? Number.NaN,
    },
  ],
  recognise: { event: 'request', method: 'PUT', path: '^/uploads/' },
  start: startRun,
};

export default check;
