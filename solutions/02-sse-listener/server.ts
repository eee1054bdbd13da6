/**
 * Order tracker: browsers open GET /events (Server-Sent Events) and see every order update live;
 * the back office posts updates to POST /publish.
 *
 * Lab 02: memory climbs with every dashboard that was ever opened, even after it is closed.
 */
import { realpathSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { bus, publishUpdate, type OrderUpdate } from './bus.ts';

export const app = express();

app.get('/events', (req, res) => {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  // An SSE comment line: tells the client it is subscribed before the first update arrives.
  res.write(': connected\n\n');

  const sendUpdate = (update: OrderUpdate) => {
    res.write(`data: ${JSON.stringify(update)}\n\n`);
  };
  bus.on('update', sendUpdate);
  // Fix: the bus outlives every connection, so a listener left on it keeps `res` (and the request
  // and socket behind it) reachable forever. `res` emits 'close' once the connection is gone,
  // whether the browser left or the response ended; removing the listener then frees all of it.
  res.on('close', () => {
    bus.off('update', sendUpdate);
  });
});

app.post('/publish', express.json(), (req, res) => {
  const update: unknown = req.body;
  if (typeof update !== 'object' || update === null || Array.isArray(update)) {
    res.status(400).json({ error: 'send a JSON object, e.g. {"order":"A-1001","status":"shipped"}' });
    return;
  }
  const delivered = publishUpdate(update as OrderUpdate);
  res.status(202).json({ delivered });
});

// Listen only when this file is the program being run, so a test can import `app` on its own.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === import.meta.filename) {
  const host = process.env.HOST ?? '127.0.0.1';
  const server = app.listen(Number(process.env.PORT ?? 3000), host, () => {
    const { port } = server.address() as AddressInfo;
    console.log(`Lab 02 · SSE listener listening on http://${host}:${port}`);
  });
}
