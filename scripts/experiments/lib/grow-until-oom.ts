/**
 * A process that leaks until V8 gives up, the way a server does: each batch of "requests" builds
 * short-lived records (garbage) and keeps a small share of them forever in a module-level array,
 * like a cache with no bound. Near the heap limit every full GC finds the garbage but can free
 * almost nothing else, so GCs come back to back. Run it with a small cap (--max-old-space-size=64)
 * so the end comes in seconds. Used by gc-near-limit and oom-diagnostics.
 * With the argument "exit-at=<MiB>" it stops growing at that heapUsed and exits normally instead.
 */
const exitAt = process.argv.find((arg) => arg.startsWith('exit-at='));
const exitAtBytes = exitAt ? Number(exitAt.slice('exit-at='.length)) * 1024 * 1024 : Infinity;

/** One record in KEEP_ONE_IN is kept: the leak. The rest is garbage, as in any request handler. */
const KEEP_ONE_IN = 10;
const keptForever: Array<{ id: number; name: string; tags: string[] }> = [];
let next = 0;

function handleABatch(): void {
  for (let i = 0; i < 10_000; i++, next++) {
    const record = { id: next, name: `record-${next}`, tags: ['a', 'b'] };
    if (next % KEEP_ONE_IN === 0) keptForever.push(record);
  }
  if (process.memoryUsage().heapUsed >= exitAtBytes) {
    process.stdout.write(`stopped at ${keptForever.length} kept records\n`);
    return;
  }
  setImmediate(handleABatch);
}

handleABatch();
