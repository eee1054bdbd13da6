/**
 * What a client that stops reading costs an SSE server. A real Express server streams 4 KiB events
 * as fast as it can to one client at a time, up to 16 MiB. The first client reads everything: the
 * data waiting in the server (res.writableLength) stays small. The second is a raw TCP socket that
 * sends its request and then never reads: once the operating system's socket buffers are full,
 * res.write() returns false, but it never blocks and never refuses data, so every further event
 * waits in the server's memory. The server gives up at an 8 MiB backlog, calls res.destroy() as the
 * page's fix does, and records that 'close' fired, so a clean-up hooked on it runs. Post-GC memory
 * (heapUsed + external) is read before the stalled stream, when the server gives up, and after the
 * destroy: the backlog is ordinary memory of the server process, and destroying the response frees it.
 *
 *   node --import tsx scripts/experiments/slow-reader.ts
 */
import express from 'express';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { MIB, ensureFlags, report, settleHeap, toMiB } from './lib/harness.ts';

const PAYLOAD = 'x'.repeat(4 * 1024);
/** Each event is a new string, as JSON.stringify(update) would make: the backlog really holds them. */
const makeEvent = (n: number) => `id: ${n}\ndata: ${PAYLOAD}\n\n`;
const TOTAL_BYTES = 16 * MIB;
/** How much the server lets pile up for one client before it gives up on it. */
const STOP_AT_BYTES = 8 * MIB;

interface Stream {
  writtenMiB: number;
  /** The most data ever waiting in the server for this client. */
  maxQueuedMiB: number;
  /** How many write() calls returned false; the loop carried on after each. */
  writesReturningFalse: number;
  gaveUp: boolean;
  closeFired: boolean;
  /** Post-GC heapUsed + external, in bytes, when the server stopped writing (before destroy or end). */
  memoryAtStop: number;
}

/** heapUsed + external after full GCs: the JavaScript strings and buffers the process holds. */
async function settledMemory(): Promise<number> {
  await settleHeap();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  let finished: (stream: Stream) => void = () => {};
  const app = express();
  app.get('/stream', async (_req, res) => {
    let closeFired = false;
    res.on('close', () => (closeFired = true));
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let written = 0;
    let maxQueued = 0;
    let writesReturningFalse = 0;
    for (let n = 0; written < TOTAL_BYTES && res.writableLength < STOP_AT_BYTES; n++) {
      const event = makeEvent(n);
      if (!res.write(event)) writesReturningFalse++;
      written += event.length;
      maxQueued = Math.max(maxQueued, res.writableLength);
      // Yield between events, as a server sending on a timer or from a bus would.
      await nextTurn();
    }
    const gaveUp = written < TOTAL_BYTES;
    const memoryAtStop = await settledMemory();
    if (gaveUp) res.destroy(); // the fix: drop a client that stopped reading
    else res.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    finished({ writtenMiB: toMiB(written), maxQueuedMiB: toMiB(maxQueued), writesReturningFalse, gaveUp, closeFired, memoryAtStop });
  });

  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;

  /** Connect, request the stream, and either read everything or (stalled) read nothing at all. */
  async function streamTo(stalled: boolean): Promise<Stream> {
    const result = new Promise<Stream>((resolve) => (finished = resolve));
    const client: Socket = connect(port, '127.0.0.1', () => {
      client.write('GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
      if (stalled) client.pause(); // a frozen tab, a stuck proxy: the connection stays, nobody reads
    });
    if (!stalled) client.on('data', () => {});
    client.on('error', () => {}); // the server destroys the stalled connection at the end
    try {
      return await result;
    } finally {
      client.destroy();
    }
  }

  try {
    // The reading client's memory is not compared: nothing piled up for it.
    const { memoryAtStop: _notCompared, ...reading } = await streamTo(false);
    const before = await settledMemory();
    const stalledRun = await streamTo(true);
    const afterDestroy = await settledMemory();
    const { memoryAtStop, ...stalled } = stalledRun;
    report(
      {
        eventBytes: makeEvent(0).length,
        totalMiB: toMiB(TOTAL_BYTES),
        stopAtMiB: toMiB(STOP_AT_BYTES),
        reading,
        stalled,
        stalledMemoryGrowthMiB: toMiB(memoryAtStop - before),
        memoryLeftAfterDestroyMiB: toMiB(afterDestroy - before),
      },
      `reading client: at most ${reading.maxQueuedMiB} MiB waiting; stalled client: ${stalled.maxQueuedMiB} MiB waiting after ` +
        `${stalled.writesReturningFalse} writes returned false, memory +${toMiB(memoryAtStop - before)} MiB; ` +
        `'close' after destroy: ${stalled.closeFired}, left after: ${toMiB(afterDestroy - before)} MiB`,
    );
  } finally {
    server.close();
    server.closeAllConnections();
  }
}
