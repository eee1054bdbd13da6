/**
 * A worker thread has a heap of its own. Started with resourceLimits.maxOldGenerationSizeMb, its
 * heap_size_limit follows that cap (plus its young generation), not the main thread's; when it leaks
 * past the cap, only the worker dies: the main thread gets an 'error' event with the code
 * ERR_WORKER_OUT_OF_MEMORY and its own heap never held the worker's objects.
 *
 *   node --import tsx scripts/experiments/worker-heap-limits.ts
 */
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { MIB, ensureFlags, report, settledHeapUsed, toMiB } from './lib/harness.ts';

const WORKER_OLD_GENERATION_MIB = 32;

/** The worker: report its heap limit, then leak until it dies, reporting its heap on the way. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const v8 = require('node:v8');
parentPort.postMessage({ limit: v8.getHeapStatistics().heap_size_limit });
const kept = [];
function grow() {
  for (let i = 0; i < 20000; i++) kept.push({ id: i, name: 'record-' + i });
  parentPort.postMessage({ heapUsed: process.memoryUsage().heapUsed });
  setImmediate(grow);
}
grow();
`;

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  const mainBefore = await settledHeapUsed();
  const worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MIB } });
  let workerLimit = 0;
  let workerHighestHeapUsed = 0;
  worker.on('message', (message: { limit?: number; heapUsed?: number }) => {
    if (message.limit) workerLimit = message.limit;
    if (message.heapUsed) workerHighestHeapUsed = Math.max(workerHighestHeapUsed, message.heapUsed);
  });
  const errored = new Promise<{ code?: string; message: string }>((resolve) => worker.once('error', resolve));
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  const [error, exitCode] = await Promise.all([errored, exited]);
  const mainAfter = await settledHeapUsed();

  report(
    {
      workerOldGenerationMiB: WORKER_OLD_GENERATION_MIB,
      workerHeapLimitMiB: workerLimit / MIB,
      mainHeapLimitMiB: getHeapStatistics().heap_size_limit / MIB,
      workerHighestHeapUsedMiB: toMiB(workerHighestHeapUsed),
      workerError: { code: error.code ?? null, message: error.message },
      workerExitCode: exitCode,
      mainStillRunning: true,
      mainHeapGrowthMiB: toMiB(mainAfter - mainBefore),
    },
    `worker capped at ${WORKER_OLD_GENERATION_MIB} MiB: limit ${workerLimit / MIB} MiB, died with ${error.code} after ${toMiB(workerHighestHeapUsed)} MiB; ` +
      `main heap grew ${toMiB(mainAfter - mainBefore)} MiB`,
  );
}
