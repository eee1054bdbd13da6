/**
 * Memory that only rss shows. Each zlib stream (createDeflate, createGzip, ...) allocates its
 * compression state with the C library's malloc, outside V8: 500 deflate streams left open grow rss
 * by about a hundred MiB while heapUsed grows by about one, and external only by their small
 * JavaScript-side buffers. A heap snapshot shows 500 small objects. Destroying the streams frees the
 * native state: a second batch of 500 then fits in what the first gave back, and rss peaks about
 * where it did, not twice as high. Whether rss itself falls at once is the allocator's choice: it
 * usually fell back almost to the start, but one run in several kept tens of MiB (glibc keeps freed
 * pages it cannot trim, notably in the arenas of the libuv threads that ran the compression).
 *
 *   node --import tsx scripts/experiments/native-memory.ts
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import zlib from 'node:zlib';
import { ensureFlags, report, settleHeap, toMiB } from './lib/harness.ts';

const STREAMS = 500;

async function settledMemory() {
  await sleep(100); // let the streams' pending work run
  await settleHeap();
  return process.memoryUsage();
}

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  const before = await settledMemory();
  // Open streams that have started work, as a server does for each compressed response in flight.
  const openStreams = () =>
    Array.from({ length: STREAMS }, () => {
      const deflate = zlib.createDeflate();
      deflate.write(Buffer.alloc(1024, 1));
      return deflate;
    });
  const destroyAll = async (streams: zlib.Deflate[]) => {
    const closed = streams.map((stream) => once(stream, 'close'));
    for (const stream of streams) stream.destroy();
    await Promise.all(closed);
  };
  const first = openStreams();
  const open = await settledMemory();
  await destroyAll(first);
  const closed = await settledMemory();
  const second = openStreams();
  const reopened = await settledMemory();
  await destroyAll(second);

  const growth = (after: NodeJS.MemoryUsage, field: keyof NodeJS.MemoryUsage) => toMiB(after[field] - before[field]);
  report(
    {
      streams: STREAMS,
      whileOpenMiB: { heapUsed: growth(open, 'heapUsed'), external: growth(open, 'external'), rss: growth(open, 'rss') },
      rssPerStreamKiB: Math.round((open.rss - before.rss) / STREAMS / 1024),
      afterDestroyMiB: { heapUsed: growth(closed, 'heapUsed'), external: growth(closed, 'external'), rss: growth(closed, 'rss') },
      secondBatchOpenMiB: { heapUsed: growth(reopened, 'heapUsed'), external: growth(reopened, 'external'), rss: growth(reopened, 'rss') },
    },
    `${STREAMS} open deflate streams: rss +${growth(open, 'rss')} MiB, heapUsed +${growth(open, 'heapUsed')} MiB, external +${growth(open, 'external')} MiB; ` +
      `after destroy(): rss +${growth(closed, 'rss')} MiB; ${STREAMS} more open: rss +${growth(reopened, 'rss')} MiB`,
  );
}
