/**
 * A worker thread has a heap of its own. Started with resourceLimits.maxOldGenerationSizeMb, its
 * heap_size_limit follows that cap (plus its young generation), not the main thread's; when it leaks
 * past the cap, only the worker dies: the main thread gets an 'error' event with the code
 * ERR_WORKER_OUT_OF_MEMORY and its own heap never held the worker's objects.
 *
 * Not always, though: Node gives a worker at its cap room to finish the GC in progress and asks it
 * to stop, and once in a CI run on a loaded machine (Node 26) the worker went past that room first
 * and V8 aborted the whole process ("Reached heap limit"). So the experiment runs in a child process,
 * up to ATTEMPTS times, and reports how many attempts took the whole process down.
 *
 *   node --import tsx scripts/experiments/worker-heap-limits.ts
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { MIB, report, settledHeapUsed, toMiB } from './lib/harness.ts';

/** Runs of the experiment at most, while V8 aborts the whole process instead of the worker. */
const ATTEMPTS = 3;

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

if (!process.execArgv.includes('--expose-gc')) {
  // The parent: run the experiment in a child with --expose-gc, again if V8 aborted it.
  let wholeProcessAborts = 0;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.status === 0) {
      report({ ...(JSON.parse(child.stdout) as Record<string, unknown>), wholeProcessAborts }, child.stderr.trim());
      break;
    }
    if (child.signal !== 'SIGABRT' || attempt === ATTEMPTS) {
      process.stderr.write(child.stderr);
      process.exitCode = child.status ?? 1;
      break;
    }
    wholeProcessAborts++;
  }
} else {
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
