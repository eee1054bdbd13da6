/** Run a snapshot comparison in a worker thread (hub/snapshot-worker.ts) and wait for its answer. */
import { Worker } from 'node:worker_threads';
import type { SnapshotAnalysis } from '../kit/snapshots/index.ts';
import type { SnapshotJob } from './snapshot-worker.ts';

export function analyseInWorker(job: SnapshotJob, signal?: AbortSignal): Promise<SnapshotAnalysis> {
  return new Promise((resolve, reject) => {
    // tsx's loader is registered per thread: the boot file registers it in the worker, then loads
    // snapshot-worker.ts (whether the hub runs from `npm start` or inside a test runner).
    const worker = new Worker(new URL('./snapshot-worker-boot.mjs', import.meta.url), { workerData: job });
    const onAbort = () => void worker.terminate();
    signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    worker.once('message', (answer: { ok: true; analysis: SnapshotAnalysis } | { ok: false; error: string }) => {
      settled = true;
      if (answer.ok) resolve(answer.analysis);
      else reject(new Error(`could not compare the snapshots: ${answer.error}`));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (!settled) reject(new Error(`the snapshot comparison stopped (exit code ${code})`));
    });
  });
}
