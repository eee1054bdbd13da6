/**
 * When does Node print MaxListenersExceededWarning? The limit (10 by default) counts listeners
 * per event name; the warning is printed once, and the extra listeners are still added.
 * setMaxListeners(0) lifts the limit: a hundred listeners on one name, and no warning at all.
 *
 *   node --import tsx scripts/experiments/max-listeners.ts
 */
import { EventEmitter } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { report } from './lib/harness.ts';

/** Collect the process warnings emitted while `act` runs (warnings are emitted on a later tick). */
async function warningsDuring(act: () => void): Promise<string[]> {
  const seen: string[] = [];
  const collect = (warning: Error) => seen.push(`${warning.name}: ${warning.message}`);
  process.on('warning', collect);
  act();
  await nextTurn();
  process.off('warning', collect);
  return seen;
}

const noop = () => {};

// Same event name: add listeners one by one and note after which one the first warning appears.
const sameName = new EventEmitter();
let firstWarningAtListener: number | null = null;
let firstWarningText: string | null = null;
for (let count = 1; count <= 15; count++) {
  const warnings = await warningsDuring(() => sameName.on('data', noop));
  if (warnings.length > 0 && firstWarningAtListener === null) {
    firstWarningAtListener = count;
    firstWarningText = warnings[0]!;
  }
}
const sameNameWarnings = await warningsDuring(() => {
  for (let i = 0; i < 20; i++) sameName.on('data', noop);
});

// Thirty different event names, one listener each: the same total, no single name over the limit.
const manyNames = new EventEmitter();
const manyNamesWarnings = await warningsDuring(() => {
  for (let i = 0; i < 30; i++) manyNames.on(`event-${i}`, noop);
});

// setMaxListeners(0): no limit, so no warning, however many listeners pile up.
const unlimited = new EventEmitter();
unlimited.setMaxListeners(0);
const unlimitedWarnings = await warningsDuring(() => {
  for (let i = 0; i < 100; i++) unlimited.on('data', noop);
});

report(
  {
    defaultMaxListeners: EventEmitter.defaultMaxListeners,
    firstWarningAtListener,
    warningText: firstWarningText,
    // After the first warning, 20 more listeners on the same name: how many more warnings?
    furtherWarningsAfter20More: sameNameWarnings.length,
    // Nothing is blocked: every listener was added.
    listenersOnSameName: sameName.listenerCount('data'),
    thirtyNamesListeners: manyNames.eventNames().length,
    thirtyNamesWarnings: manyNamesWarnings.length,
    setMaxListenersZero: { listeners: unlimited.listenerCount('data'), warnings: unlimitedWarnings.length },
  },
  `warning at listener #${firstWarningAtListener} for one name; 30 names gave ${manyNamesWarnings.length} warnings`,
);
