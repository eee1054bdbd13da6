/**
 * What prom-client's AggregatorRegistry does with the heap of a cluster. A real cluster of two
 * workers: one holds an extra 32 MiB array (a leaking worker), the other nothing. The primary
 * collects the workers' default metrics with AggregatorRegistry.clusterMetrics(), the way a
 * cluster's single /metrics endpoint does, and compares the merged nodejs_heap_size_used_bytes with
 * each worker's own heapUsed: the merged series is their sum, with no label saying which worker
 * holds what, so a leak in one worker is diluted in the total.
 *
 *   node --import tsx scripts/experiments/prom-cluster-sum.ts
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, collectDefaultMetrics } from 'prom-client';
import { MIB, report, toMiB } from './lib/harness.ts';

const WORKERS = 2;
const LEAK_MIB = 32;

type FromWorker = { type: 'ready' } | { type: 'heapUsed'; bytes: number };

if (cluster.isPrimary) {
  // Workers can force a GC, so that garbage left from start-up (tens of MiB, collected at any
  // moment) does not sit in the scrape and be gone from the readings taken just after it.
  cluster.setupPrimary({ execArgv: [...process.execArgv, '--expose-gc'] });
  const workers: Worker[] = [];
  const ready: Promise<void>[] = [];
  for (let index = 0; index < WORKERS; index++) {
    const worker = cluster.fork({ LEAKLAB_HOLD_MIB: index === 0 ? String(LEAK_MIB) : '0' });
    workers.push(worker);
    ready.push(new Promise((resolve) => worker.on('message', (message: FromWorker) => message.type === 'ready' && resolve())));
  }
  try {
    await Promise.all(ready);
    const text = await new AggregatorRegistry().clusterMetrics();
    const heapLines = text.split('\n').filter((line) => line.startsWith('nodejs_heap_size_used_bytes'));
    const merged = Number(heapLines[0]?.split(' ').at(-1));
    const own = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<number>((resolve) => {
            const onMessage = (message: FromWorker) => {
              if (message.type !== 'heapUsed') return;
              worker.off('message', onMessage);
              resolve(message.bytes);
            };
            worker.on('message', onMessage);
            worker.send({ type: 'heapUsed' });
          }),
      ),
    );
    const sum = own.reduce((total, bytes) => total + bytes, 0);
    report(
      {
        workers: WORKERS,
        workersHeapUsedMiB: own.map(toMiB),
        mergedHeapUsedMiB: toMiB(merged),
        sumOfWorkersMiB: toMiB(sum),
        largestWorkerMiB: toMiB(Math.max(...own)),
        mergedSeries: heapLines,
      },
      `workers ${own.map(toMiB).join(' + ')} MiB; merged nodejs_heap_size_used_bytes ${toMiB(merged)} MiB (sum ${toMiB(sum)})`,
    );
  } finally {
    for (const worker of workers) worker.kill();
  }
} else {
  collectDefaultMetrics();
  // Creating an AggregatorRegistry is also what makes a worker answer the primary's requests.
  new AggregatorRegistry();
  // A leaking worker: an array of doubles is 8 bytes per slot, so this holds LEAKLAB_HOLD_MIB of heap.
  const holdMiB = Number(process.env.LEAKLAB_HOLD_MIB ?? 0);
  const held = new Array<number>((holdMiB * MIB) / 8).fill(1.5);
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'heapUsed') process.send!({ type: 'heapUsed', bytes: process.memoryUsage().heapUsed, held: held.length });
  });
  globalThis.gc?.();
  globalThis.gc?.();
  process.send!({ type: 'ready' });
}
