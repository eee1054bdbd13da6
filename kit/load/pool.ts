/**
 * Bounded concurrency: run `count` numbered tasks with at most `concurrency` in flight, report
 * progress, and stop early when the signal aborts. Every workload in kit/load is built on this.
 */

/** Called after each finished operation: the hub draws its progress bar from it. */
export type Progress = (done: number, total: number) => void;

export interface PoolOptions {
  count: number;
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: Progress;
}

/** Run task(0..count-1); resolves when all settled (or the signal aborted). Task errors are the task's business. */
export async function runPool(options: PoolOptions, task: (index: number) => Promise<void>): Promise<number> {
  const { count, signal, onProgress } = options;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count && !signal?.aborted) {
      const index = next++;
      await task(index);
      done += 1;
      onProgress?.(done, count);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, count)) }, worker);
  await Promise.all(workers);
  return done;
}

/** Counts of how a batch of operations went, for the checker's error messages. */
export interface LoadResult {
  /** Operations attempted. */
  sent: number;
  /** Operations that completed as the workload expects (a 2xx answer, a received event, ...). */
  ok: number;
  /** Operations that failed at the network level or timed out. */
  failed: number;
  /** HTTP status counts, when the workload is HTTP. */
  statuses: Record<number, number>;
  /** The first failure, in words. */
  firstError?: string;
  durationMs: number;
}

export function emptyResult(): LoadResult {
  return { sent: 0, ok: 0, failed: 0, statuses: {}, durationMs: 0 };
}
