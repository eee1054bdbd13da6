/**
 * What a WeakMap accepts as a key. Only objects (and, since V8 11, symbols that are not
 * registered with Symbol.for) can be keys: set() with a string throws, while get() and has()
 * with a string quietly answer "not there", which hides the mistake until the first set().
 *
 *   node --import tsx scripts/experiments/weakmap-keys.ts
 */
import { report } from './lib/harness.ts';

/** Try `act` and return the error it threw as "Name: message", or null when it did not throw. */
function thrownBy(act: () => unknown): string | null {
  try {
    act();
    return null;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

const byUser = new WeakMap<object, string>();
// The casts stand for untyped JavaScript, where nothing stops a string key before run time.
const asKey = (value: unknown) => value as object;

report(
  {
    setStringError: thrownBy(() => byUser.set(asKey('user-123'), 'state')),
    setNumberError: thrownBy(() => byUser.set(asKey(123), 'state')),
    getStringResult: String(byUser.get(asKey('user-123'))),
    hasStringResult: byUser.has(asKey('user-123')),
    objectKeyError: thrownBy(() => byUser.set({ id: 'user-123' }, 'state')),
    uniqueSymbolKeyError: thrownBy(() => byUser.set(asKey(Symbol('user-123')), 'state')),
    registeredSymbolKeyError: thrownBy(() => byUser.set(asKey(Symbol.for('user-123')), 'state')),
  },
  'WeakMap: objects and unregistered symbols are keys; strings, numbers and Symbol.for symbols are not',
);
