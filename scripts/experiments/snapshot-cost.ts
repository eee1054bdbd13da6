/**
 * What taking a heap snapshot costs the process. v8.writeHeapSnapshot() is synchronous: nothing
 * else runs (no request, no timer) until the file is written. And the memory it needs on top of
 * the heap grows with the number of objects and references, not with their bytes: for a heap of
 * many small objects, peak RSS grows by many times the heap size, far above "twice the heap".
 * This uses a heap of about 40 MiB so it runs in seconds; larger heaps cost proportionally more.
 * Many tiny objects are the worst case for the extra memory: a heap of fewer, larger objects (big
 * strings, arrays of numbers, Buffers) needs far less per byte.
 *
 *   node --import tsx scripts/experiments/snapshot-cost.ts
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { ensureFlags, report, settledHeapUsed, toMiB } from './lib/harness.ts';
import { removeScratch, scratchDir } from './lib/output-dir.ts';

/** heapUsed to grow to before snapshotting, in MiB (part of it is garbage the settling GC frees). */
const TARGET_HEAP_MIB = 48;

interface Session {
  user: string;
  lastSeen: number;
  tags: string[];
}

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  // Many small objects with references between them, like a server's sessions and caches.
  const sessions: Session[] = [];
  while (process.memoryUsage().heapUsed < TARGET_HEAP_MIB * 1024 * 1024) {
    for (let i = 0; i < 10_000; i++) sessions.push({ user: `user-${sessions.length}`, lastSeen: i, tags: ['web'] });
  }
  const heapUsed = await settledHeapUsed();
  const peakRssBefore = process.resourceUsage().maxRSS * 1024;

  const dir = scratchDir('snapshot-cost');
  try {
    // A timer due in 10 ms: when does it actually run, if the snapshot starts right now?
    const timerDue = performance.now() + 10;
    const timerRan = new Promise<number>((resolve) => setTimeout(() => resolve(performance.now()), 10));
    const started = performance.now();
    const file = writeHeapSnapshot(join(dir, 'cost.heapsnapshot'));
    const blockedMs = performance.now() - started;
    const timerLateMs = (await timerRan) - timerDue;
    const peakRssAfter = process.resourceUsage().maxRSS * 1024;
    const extraPeakRss = peakRssAfter - peakRssBefore;

    report(
      {
        sessions: sessions.length, // each one an object, a string and a tags array
        heapUsedMiB: toMiB(heapUsed),
        blockedMs: Math.round(blockedMs),
        timerLateMs: Math.round(timerLateMs),
        snapshotFileMiB: toMiB(statSync(file).size),
        extraPeakRssMiB: toMiB(extraPeakRss),
        extraPeakRssPerHeapByte: Math.round((extraPeakRss / heapUsed) * 10) / 10,
      },
      `snapshot of a ${toMiB(heapUsed)} MiB heap: blocked ${Math.round(blockedMs)} ms, peak RSS +${toMiB(extraPeakRss)} MiB`,
    );
  } finally {
    removeScratch(dir);
  }
}
