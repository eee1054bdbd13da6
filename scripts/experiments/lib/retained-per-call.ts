/**
 * A leak regression test's measurement, small enough to copy into any project: call a function many
 * times, force full GCs between rounds, and fit a straight line through the post-GC heapUsed of each
 * round. The slope, in bytes per call, is what the function leaves behind; a flat line is zero.
 * Run the test process with --expose-gc (`node --expose-gc --test ...`).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface RetainedPerCall {
  /** Least-squares slope of post-GC heapUsed against calls made. */
  bytesPerCall: number;
  /** Post-GC heapUsed after each round, for the failure message. */
  heapUsedByRound: number[];
}

async function postGcHeapUsed(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the test with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await nextTurn(); // let clean-ups queued by the collection run before the next one
  }
  return process.memoryUsage().heapUsed;
}

/** Slope of the least-squares line through (x, y). */
function slope(xs: number[], ys: number[]): number {
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let covariance = 0;
  let variance = 0;
  for (let i = 0; i < xs.length; i++) {
    covariance += (xs[i]! - meanX) * (ys[i]! - meanY);
    variance += (xs[i]! - meanX) ** 2;
  }
  return covariance / variance;
}

/**
 * Call `call` `warmUp` times (caches, compiled code and lazy set-up settle first), then `rounds`
 * rounds of `callsPerRound` calls with a post-GC reading after each.
 */
export async function retainedPerCall(
  call: () => unknown,
  { callsPerRound = 2_000, rounds = 6, warmUp = 2_000 } = {},
): Promise<RetainedPerCall> {
  for (let i = 0; i < warmUp; i++) await call();
  const calls: number[] = [];
  const heapUsedByRound: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    if (round > 0) for (let i = 0; i < callsPerRound; i++) await call();
    calls.push(round * callsPerRound);
    heapUsedByRound.push(await postGcHeapUsed());
  }
  return { bytesPerCall: Math.round(slope(calls, heapUsedByRound) * 10) / 10, heapUsedByRound };
}
