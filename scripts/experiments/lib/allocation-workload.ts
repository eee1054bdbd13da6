/**
 * A workload with two kinds of allocation, for the experiments about allocation profiles:
 * `churn()` allocates a lot of short-lived objects (about 10 times the bytes), `remember()` fewer
 * objects that stay reachable from a module-level array, as a leak would. A profile that shows
 * `remember` and not `churn` shows what is still alive, not what was allocated most.
 *
 * Run as a script (`allocation-workload.ts <ending>`) it does both, then ends in one of these ways:
 *   natural    returns; the process exits once nothing is left to do
 *   exit       calls process.exit(0)
 *   handler    waits (an interval keeps it alive, like a server) until SIGTERM, whose handler exits
 *   nohandler  waits until SIGTERM, with no handler: the signal's default action ends it
 * and prints "ready" once the allocations are done.
 */
import { argv } from 'node:process';
import { fileURLToPath } from 'node:url';

const kept: Array<{ id: number; name: string }> = [];

/** `count` objects (two million by default) that die at once: garbage. */
export function churn(count = 2_000_000): number {
  let last = { id: 0, name: '' };
  for (let id = 0; id < count; id++) last = { id, name: `garbage-${id}` };
  return last.id;
}

/** `count` objects (two hundred thousand by default) kept for good. */
export function remember(count = 200_000): number {
  for (let id = 0; id < count; id++) kept.push({ id, name: `kept-${id}` });
  return kept.length;
}

/** Drop what remember() kept, so the workload can run again from the same state. */
export function forget(): void {
  kept.length = 0;
}

if (argv[1] === fileURLToPath(import.meta.url)) {
  churn();
  remember();
  const ending = argv[2];
  if (ending === 'exit') process.exit(0);
  if (ending === 'handler') process.on('SIGTERM', () => process.exit(0));
  if (ending === 'handler' || ending === 'nohandler') setInterval(() => {}, 1000);
  process.stdout.write('ready\n');
}
