/**
 * What promises and async functions keep alive. An async function suspended at an `await` is not on
 * any stack: its locals live in an object that the awaited promise's reactions point at, so they stay
 * exactly as long as that promise is reachable. Ten handlers each holding 8 MB and awaiting a promise
 * that never settles: when nothing else holds the promise (its resolve function was dropped), all of
 * it is collected; when its resolve function is kept in a list (a pending-requests table that never
 * answers), all of it stays.
 * Promise.race() against a long-lived promise, inside a loop, adds a reaction to that promise on
 * every turn, and a promise that never settles never lets go of them: bytes kept per iteration.
 * AsyncLocalStorage: a timer started inside als.run(store, ...) carries the store with it, so a
 * long-lived interval keeps every store it was started in; started inside als.exit(), it keeps none.
 *
 *   node --import tsx scripts/experiments/promise-retention.ts
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ensureFlags, report, settledHeapUsed, toMiB } from './lib/harness.ts';

const HANDLERS = 10;
const RACES = 100_000;

/** A promise that lives as long as the process and never settles, like a shutdown signal that a
 *  module exports for the rest of the server to watch. */
export const shutdown = new Promise<never>(() => {});

/** 8 MB that only the handler's own frame refers to. */
const eightMegabytes = () => new Array<string>(1_000_000).fill('x');

/** A request handler that holds a big local across an await. */
async function handler(waitFor: Promise<unknown>): Promise<number> {
  const big = eightMegabytes();
  await waitFor;
  return big.length;
}

/** Post-GC heap growth while `act` runs and its result stays reachable, in MiB. */
async function retainedMiB(act: () => unknown): Promise<number> {
  const before = await settledHeapUsed();
  const kept = act();
  const after = await settledHeapUsed();
  void kept;
  return toMiB(after - before);
}

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  // 1. Awaiting a promise nobody can settle any more: the suspended handlers are garbage.
  const unreachablePending = await retainedMiB(() => {
    for (let i = 0; i < HANDLERS; i++) void handler(new Promise(() => {}));
  });
  // 2. The same, but a table keeps each promise's resolve function: everything stays.
  const pendingResolvers: Array<(value: unknown) => void> = [];
  const resolverKept = await retainedMiB(() => {
    for (let i = 0; i < HANDLERS; i++) void handler(new Promise((resolve) => pendingResolvers.push(resolve)));
  });
  for (const resolve of pendingResolvers) resolve(undefined);

  // 3. Promise.race against the long-lived promise, once per loop turn.
  const before = await settledHeapUsed();
  for (let i = 0; i < RACES; i++) await Promise.race([shutdown, Promise.resolve(i)]);
  const raceBytesPerIteration = Math.round(((await settledHeapUsed()) - before) / RACES);
  const beforePlain = await settledHeapUsed();
  for (let i = 0; i < RACES; i++) await Promise.resolve(i);
  const plainBytesPerIteration = Math.round(((await settledHeapUsed()) - beforePlain) / RACES);

  // 4. AsyncLocalStorage: intervals started inside run() carry their store.
  const storage = new AsyncLocalStorage<{ big: string[] }>();
  const timers: NodeJS.Timeout[] = [];
  const timerInsideRun = await retainedMiB(() => {
    for (let i = 0; i < HANDLERS; i++) storage.run({ big: eightMegabytes() }, () => timers.push(setInterval(() => {}, 1e7)));
  });
  const timerInsideExit = await retainedMiB(() => {
    for (let i = 0; i < HANDLERS; i++) storage.run({ big: eightMegabytes() }, () => storage.exit(() => timers.push(setInterval(() => {}, 1e7))));
  });
  for (const timer of timers) clearInterval(timer);

  report(
    {
      handlers: HANDLERS,
      handlerMiB: toMiB(8_000_000),
      suspended: { unreachablePendingMiB: unreachablePending, resolverKeptMiB: resolverKept },
      race: { iterations: RACES, raceBytesPerIteration, plainBytesPerIteration },
      asyncLocalStorage: { timerInsideRunMiB: timerInsideRun, timerInsideExitMiB: timerInsideExit },
    },
    `suspended handlers: ${unreachablePending} MiB kept when the promise is unreachable, ${resolverKept} MiB when its resolver is kept; ` +
      `race: ${raceBytesPerIteration} B per iteration; ALS timers: ${timerInsideRun} MiB inside run, ${timerInsideExit} MiB inside exit`,
  );
}
