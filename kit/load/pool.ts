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

/**
 * Run `count` operations through the pool and count how they went. An operation resolves with the
 * HTTP status it got (2xx counts as ok) or with nothing (it completed: ok); a rejection counts as
 * failed, and the first one is kept in words. Never rejects: the checker decides what failures mean.
 */
export async function runCounted(options: PoolOptions, operation: (index: number) => Promise<number | void>): Promise<LoadResult> {
  const started = Date.now();
  const result = emptyResult();
  await runPool(options, async (index) => {
    result.sent += 1;
    try {
      const status = await operation(index);
      if (typeof status !== 'number') {
        result.ok += 1;
        return;
      }
      result.statuses[status] = (result.statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) result.ok += 1;
    } catch (error) {
      result.failed += 1;
      result.firstError ??= (error as Error).message;
    }
  });
  result.durationMs = Date.now() - started;
  return result;
}
