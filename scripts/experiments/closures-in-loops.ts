/**
 * The cost of creating one closure per item in a hot loop. Keeping a million closures costs
 * about the same whether the loop is an index `for` or a `for...of`; even closures that capture
 * nothing cost most of it. The fix is not a different loop, it is not creating a function per item.
 *
 *   node --import tsx scripts/experiments/closures-in-loops.ts
 */
import { ensureFlags, report, retainedBy, toMiB } from './lib/harness.ts';

const COUNT = 1_000_000;

interface Order {
  id: number;
}

/** Index loop: each iteration has its own `i` binding, captured by its closure. */
function handlersWithIndexLoop(orders: Order[]): Array<() => Order | undefined> {
  const handlers: Array<() => Order | undefined> = [];
  for (let i = 0; i < orders.length; i++) handlers.push(() => orders[i]);
  return handlers;
}

/** for...of: each closure captures its own `order` binding instead. */
function handlersWithForOf(orders: Order[]): Array<() => Order> {
  const handlers: Array<() => Order> = [];
  for (const order of orders) handlers.push(() => order);
  return handlers;
}

/** Closures that capture nothing at all: what the functions themselves cost. */
function handlersCapturingNothing(orders: Order[]): Array<() => number> {
  const handlers: Array<() => number> = [];
  for (let n = 0; n < orders.length; n++) handlers.push(() => 0);
  return handlers;
}

/** The alternative: no function per item, the data stays as it is. Only the array of ids remains. */
function idsWithoutClosures(orders: Order[]): number[] {
  const ids: number[] = [];
  for (const order of orders) ids.push(order.id);
  return ids;
}

async function retainedMiB(build: () => unknown[]): Promise<number> {
  const { bytes, kept } = await retainedBy(build);
  if (kept.length !== COUNT) throw new Error('the handlers must stay reachable while measuring');
  return toMiB(bytes);
}

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  // The orders exist before every measurement, so only the closures (and their array) are counted.
  const orders: Order[] = Array.from({ length: COUNT }, (_, id) => ({ id }));
  const result = {
    closures: COUNT,
    indexLoopMiB: await retainedMiB(() => handlersWithIndexLoop(orders)),
    forOfMiB: await retainedMiB(() => handlersWithForOf(orders)),
    capturingNothingMiB: await retainedMiB(() => handlersCapturingNothing(orders)),
    noClosuresMiB: await retainedMiB(() => idsWithoutClosures(orders)),
  };
  report(
    result,
    `1e6 closures: index ${result.indexLoopMiB} MiB, for...of ${result.forOfMiB} MiB, empty ${result.capturingNothingMiB} MiB, none ${result.noClosuresMiB} MiB`,
  );
}
