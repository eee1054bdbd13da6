/**
 * Which 'close' event tells a server that the client is gone? On a streaming GET (server-sent
 * events) both req and res emit 'close' when the client aborts, when the server ends the response
 * and when the socket is destroyed. On a POST whose body was read, req emits 'close' as soon as the
 * body is consumed, while the client is still waiting: so clean-up must listen on res.
 * A real Express 5 server and real HTTP clients on loopback.
 *
 *   node --import tsx scripts/experiments/close-events.ts
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type Request, type Response } from 'express';
import { report } from './lib/harness.ts';

/** For one request: when (ms after it arrived) req and res emitted 'close', if they did. */
interface CloseTimes {
  reqCloseMs: number | null;
  resCloseMs: number | null;
  /** For the POST: when the handler sent the response (its body was already read on arrival). */
  respondedMs?: number;
}

const seen = new Map<string, CloseTimes>();

function watchCloses(name: string, req: Request, res: Response): CloseTimes {
  const arrived = performance.now();
  const times: CloseTimes = { reqCloseMs: null, resCloseMs: null };
  const since = () => Math.round(performance.now() - arrived);
  req.on('close', () => (times.reqCloseMs = since()));
  res.on('close', () => (times.resCloseMs = since()));
  seen.set(name, times);
  return times;
}

/** How long the POST handler keeps the client waiting after reading its body. */
const POST_WORK_MS = 300;

const app = express();
app.use(express.json());

// SSE stream. ?end=ms makes the server end it; ?destroy=ms makes it destroy the socket.
app.get('/events/:name', (req, res) => {
  watchCloses(req.params.name, req, res);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(': connected\n\n');
  if (req.query.end) setTimeout(() => res.end(), Number(req.query.end));
  if (req.query.destroy) setTimeout(() => req.socket.destroy(), Number(req.query.destroy));
});

app.post('/orders/:name', (req, res) => {
  const times = watchCloses(req.params.name, req, res);
  const arrived = performance.now();
  setTimeout(() => {
    times.respondedMs = Math.round(performance.now() - arrived);
    res.json({ received: req.body });
  }, POST_WORK_MS);
});

const server = app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', resolve));
const { port } = server.address() as AddressInfo;

/** Open an SSE stream; resolve once the first bytes arrive, with a way to abort it. */
function openStream(path: string): Promise<{ abort: () => void; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false });
    // Before the response this is a real failure; afterwards the abort or destroyed socket is the
    // point of the scenario, and rejecting an already resolved promise does nothing.
    req.on('error', reject);
    req.on('response', (res) => {
      res.on('error', () => {}); // the stream is cut on purpose in two of the scenarios
      const ended = new Promise<void>((done) => res.on('close', () => done()));
      res.once('data', () => resolve({ abort: () => req.destroy(), ended }));
    });
    req.end();
  });
}

try {
  // 1. The client goes away (tab closed): it aborts the request.
  const aborted = await openStream('/events/client-abort');
  await sleep(50);
  aborted.abort();
  // 2. The server ends the stream itself.
  const ended = await openStream('/events/server-end?end=50');
  await ended.ended;
  // 3. The connection is destroyed under the stream.
  const destroyed = await openStream('/events/socket-destroy?destroy=50');
  await destroyed.ended;
  // 4. A POST with a JSON body: the client stays connected, waiting for the answer.
  const response = await fetch(`http://127.0.0.1:${port}/orders/post`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ item: 'coffee' }),
  });
  await response.json();
  await sleep(50); // let the last 'close' events run

  const post = seen.get('post')!;
  const sse = ['client-abort', 'server-end', 'socket-destroy'].map((name) => [name, seen.get(name)!] as const);
  report(
    {
      get: Object.fromEntries(
        sse.map(([name, times]) => [name, { reqClose: times.reqCloseMs !== null, resClose: times.resCloseMs !== null }]),
      ),
      post: {
        reqCloseMs: post.reqCloseMs,
        respondedMs: post.respondedMs,
        resCloseMs: post.resCloseMs,
        reqClosedWhileClientWaiting: post.reqCloseMs !== null && post.reqCloseMs < post.respondedMs!,
      },
    },
    `POST: req 'close' at ${post.reqCloseMs} ms, response sent at ${post.respondedMs} ms, res 'close' at ${post.resCloseMs} ms`,
  );
} finally {
  server.closeAllConnections();
  server.close();
}
