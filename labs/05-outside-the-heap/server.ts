/**
 * Thumbnail service: a browser PUTs a greyscale PGM image to /uploads/<id> and gets back a thumbnail
 * four times smaller. While the bytes arrive, GET /uploads/<id> reports the upload's progress, so
 * the page can draw a progress bar. GET /health says whether the service is up.
 *
 * Lab 05: heapUsed stays flat, yet the process grows with every image ever uploaded.
 */
import { realpathSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { MAX_UPLOAD_BYTES, renderThumbnail } from './thumbnails.ts';

/** An upload in progress: its size, how much has arrived, and the bytes received so far. */
interface Upload {
  expected: number;
  received: number;
  bytes: Buffer;
}

/** Uploads by id, so GET /uploads/:id can report their progress. */
const uploads = new Map<string, Upload>();

export const app = express();

app.get('/health', (_req, res) => {
  res.json({ status: 'ok', uploadsInProgress: uploads.size });
});

app.get('/uploads/:id', (req, res) => {
  const upload = uploads.get(req.params.id);
  if (!upload) {
    res.status(404).json({ error: `no upload ${req.params.id} in progress` });
    return;
  }
  res.json({ id: req.params.id, received: upload.received, expected: upload.expected });
});

app.put('/uploads/:id', (req, res) => {
  const expected = Number(req.get('content-length'));
  if (!Number.isInteger(expected) || expected <= 0 || expected > MAX_UPLOAD_BYTES) {
    res.status(expected > MAX_UPLOAD_BYTES ? 413 : 411).json({ error: `send a Content-Length between 1 and ${MAX_UPLOAD_BYTES} bytes` });
    return;
  }
  // One buffer of the announced size, filled as chunks arrive: no copying at the end.
  const upload: Upload = { expected, received: 0, bytes: Buffer.alloc(expected) };
  // TODO: every upload stays in `uploads` after its answer is sent, and keeps its whole image.
  // Only uploads still in progress belong there, whether they finish, fail or are abandoned.
  uploads.set(req.params.id, upload);

  req.on('data', (chunk: Buffer) => {
    upload.received += chunk.copy(upload.bytes, upload.received);
  });
  req.on('end', () => {
    renderThumbnail(upload.bytes.subarray(0, upload.received)).then(
      (thumbnail) => {
        res.type('image/x-portable-graymap').send(thumbnail);
      },
      (error: Error) => {
        res.status(422).json({ error: error.message });
      },
    );
  });
});

// Listen only when this file is the program being run, so a test can import `app` on its own.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === import.meta.filename) {
  const host = process.env.HOST ?? '127.0.0.1';
  const server = app.listen(Number(process.env.PORT ?? 3000), host, () => {
    const { port } = server.address() as AddressInfo;
    console.log(`Lab 05 · Outside the heap listening on http://${host}:${port}`);
  });
}
