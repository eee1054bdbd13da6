/**
 * Run a snapshot comparison in a worker thread (hub/snapshot-worker.ts) under a memory cap, pass
 * its stages on, and wait for its answer. A comparison that would need more than the cap ends with
 * a plain message instead of taking the hub's memory with it.
 */
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { AnalysisProgress, SnapshotAnalysis } from '../kit/snapshots/index.ts';
import type { SnapshotJob, WorkerMessage } from './snapshot-worker.ts';

const MiB = 1024 * 1024;

/**
 * The worker's JavaScript heap cap for snapshots of these sizes. The numbers go into typed arrays
 * outside that heap; what it holds is the string table and the comparison's own bookkeeping, well
 * under the file's size. Twice the larger file, and never less than 128 MiB.
 */
export function workerHeapCapMb(largestFileBytes: number): number {
  return Math.max(128, Math.ceil((2 * largestFileBytes) / MiB));
}

export async function analyseInWorker(
  job: SnapshotJob,
  options: { signal?: AbortSignal; onProgress?: (progress: AnalysisProgress) => void } = {},
): Promise<SnapshotAnalysis> {
  const sizes = await Promise.all([stat(job.beforePath), stat(job.afterPath)]);
  const capMb = workerHeapCapMb(Math.max(...sizes.map((s) => s.size)));
  return new Promise((resolve, reject) => {
    // tsx's loader is registered per thread: the boot file registers it in the worker, then loads
    // snapshot-worker.ts (whether the hub runs from `npm start` or inside a test runner).
    const worker = new Worker(new URL('./snapshot-worker-boot.mjs', import.meta.url), {
      workerData: job,
      resourceLimits: { maxOldGenerationSizeMb: capMb },
    });
    const onAbort = () => void worker.terminate();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.progress);
      else if (message.type === 'done') settle(() => resolve(message.analysis));
      else settle(() => reject(new Error(`could not compare the snapshots: ${message.error}`)));
    });
    worker.once('error', (error: Error & { code?: string }) =>
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new Error(`could not compare the snapshots: the comparison needed more than its ${capMb} MiB of memory`)
            : new Error(`could not compare the snapshots: ${error.message}`),
        ),
      ),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new Error(options.signal?.aborted ? 'the snapshot comparison was cancelled' : `the snapshot comparison stopped (exit code ${code})`))),
    );
  });
}
