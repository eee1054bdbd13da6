/**
 * A process that leaks until V8 gives up, the way a server does: each batch of "requests" builds
 * short-lived records (garbage) and keeps a small share of them forever in a module-level array,
 * like a cache with no bound. Near the heap limit every full GC finds the garbage but can free
 * almost nothing else, so GCs come back to back. Run it with a small cap (--max-old-space-size=64)
 * so the end comes in seconds. Used by gc-near-limit, oom-crash-report, oom-diagnostics,
 * diagnostic-node-options and heap-at-crash.
 *
 * Arguments:
 * - "exit-at=<MiB>": stop growing at that heapUsed and exit normally instead;
 * - "peaks": after each batch, print a line "peak {...}" to stderr whenever the heap reached a new
 *   high (heapUsed, heapUsed against heap_size_limit, the old generation against
 *   --max-old-space-size) or heap_size_limit itself changed. Writes to a pipe are synchronous on
 *   Linux, so the last line printed before the crash is there for the parent to read.
 */
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { oldGenerationUsed } from './heap-numbers.ts';

const exitAt = process.argv.find((arg) => arg.startsWith('exit-at='));
const exitAtBytes = exitAt ? Number(exitAt.slice('exit-at='.length)) * 1024 * 1024 : Infinity;
const reportPeaks = process.argv.includes('peaks');
const capFlag = process.execArgv.find((arg) => arg.startsWith('--max-old-space-size='));
const capBytes = capFlag ? Number(capFlag.slice('--max-old-space-size='.length)) * 1024 * 1024 : NaN;

/** One record in KEEP_ONE_IN is kept: the leak. The rest is garbage, as in any request handler. */
const KEEP_ONE_IN = 10;
const keptForever: Array<{ id: number; name: string; tags: string[] }> = [];
let next = 0;

/** The highest readings so far: a new line is printed when one of them moves. */
const peak = { heapUsed: 0, usedOfLimit: 0, oldGenerationOfCap: 0, limit: 0 };

function notePeaks(): void {
  const { heapUsed } = process.memoryUsage();
  const limit = getHeapStatistics().heap_size_limit;
  const usedOfLimit = heapUsed / limit;
  const oldGenerationOfCap = oldGenerationUsed(getHeapSpaceStatistics()) / capBytes;
  const moved =
    heapUsed > peak.heapUsed * 1.002 ||
    usedOfLimit > peak.usedOfLimit + 0.002 ||
    oldGenerationOfCap > peak.oldGenerationOfCap + 0.002 ||
    limit !== peak.limit;
  peak.heapUsed = Math.max(peak.heapUsed, heapUsed);
  peak.usedOfLimit = Math.max(peak.usedOfLimit, usedOfLimit);
  peak.oldGenerationOfCap = Math.max(peak.oldGenerationOfCap, oldGenerationOfCap);
  peak.limit = limit;
  if (moved) process.stderr.write(`peak ${JSON.stringify({ ...peak, atMs: Math.round(performance.now()) })}\n`);
}

function handleABatch(): void {
  for (let i = 0; i < 10_000; i++, next++) {
    const record = { id: next, name: `record-${next}`, tags: ['a', 'b'] };
    if (next % KEEP_ONE_IN === 0) keptForever.push(record);
  }
  if (reportPeaks) notePeaks();
  if (process.memoryUsage().heapUsed >= exitAtBytes) {
    process.stdout.write(`stopped at ${keptForever.length} kept records\n`);
    return;
  }
  setImmediate(handleABatch);
}

handleABatch();
