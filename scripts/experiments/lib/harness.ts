/**
 * What every experiment shares: relaunch itself with the V8 flags it needs, force full GCs,
 * measure what a piece of code leaves behind, and print its one JSON result.
 * An experiment prints exactly one JSON object on stdout (the tests parse it) and may explain
 * itself in one human line on stderr.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setImmediate as nextTurn } from 'node:timers/promises';

export const MIB = 1024 * 1024;

/** Bytes to MiB, rounded to two decimals: the precision the course quotes. */
export function toMiB(bytes: number): number {
  return Math.round((bytes / MIB) * 100) / 100;
}

/**
 * Make sure this script runs with `flags` (e.g. --expose-gc). If one is missing, run the same
 * script again in a child with the flags added, pass its output through, and return false: the
 * caller then stops. Flags must be set at start-up, which is why a child is needed at all.
 */
export function ensureFlags(scriptUrl: string, flags: readonly string[]): boolean {
  const missing = flags.filter((flag) => !process.execArgv.includes(flag));
  if (missing.length === 0) return true;
  const child = spawnSync(process.execPath, [...process.execArgv, ...missing, fileURLToPath(scriptUrl)], {
    stdio: 'inherit',
  });
  process.exitCode = child.status ?? 1;
  return false;
}

type Gc = () => void;

function gcFunction(): Gc {
  const gc = (globalThis as { gc?: Gc }).gc;
  if (typeof gc !== 'function') throw new Error('global.gc is missing: run with --expose-gc (ensureFlags does it).');
  return gc;
}

/**
 * Force several full GCs, yielding to the event loop in between so that FinalizationRegistry
 * callbacks and socket clean-ups queued by one collection can run before the next one.
 */
export async function settleHeap(rounds = 4): Promise<void> {
  const gc = gcFunction();
  for (let i = 0; i < rounds; i++) {
    gc();
    await nextTurn();
  }
}

/** heapUsed after a settled heap: the baseline and end point of every retention measurement. */
export async function settledHeapUsed(): Promise<number> {
  await settleHeap();
  return process.memoryUsage().heapUsed;
}

/**
 * Run `build`, keep what it returns reachable, and report how many bytes stay on the heap after
 * full GCs: the post-GC heapUsed delta, which is what "retained" means throughout the course.
 */
export async function retainedBy<T>(build: () => T): Promise<{ bytes: number; kept: T }> {
  const before = await settledHeapUsed();
  const kept = build();
  const after = await settledHeapUsed();
  return { bytes: after - before, kept };
}

/** Print the experiment's result: one JSON object on stdout, an optional human summary on stderr. */
export function report(result: Record<string, unknown>, summary?: string): void {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (summary) process.stderr.write(`${summary}\n`);
}
