/**
 * What node-cache 5 does at its bound, and what its defaults are. With maxKeys set, a set() that
 * would go past it throws an ECACHEFULL error instead of evicting an older entry, so the first keys
 * stay and new ones are refused; while the cache is full even updating a key it already holds
 * throws. After one entry is deleted, set() works again. Without maxKeys the limit is -1: no limit
 * at all. By default it clones values (set() stores a copy, get() returns another), and its expiry
 * sweep runs on an unref'd timer, which does not keep the process alive.
 *
 *   node --import tsx scripts/experiments/node-cache-bounds.ts
 */
import NodeCache from 'node-cache';
import { report } from './lib/harness.ts';

const MAX_KEYS = 3;

/** Call set() and report what happened: "stored", or the error's code and message. */
function trySet(cache: NodeCache, key: string, value: unknown): { outcome: string; message?: string } {
  try {
    cache.set(key, value);
    return { outcome: 'stored' };
  } catch (error) {
    const { errorcode, message } = error as { errorcode?: string; message: string };
    return { outcome: errorcode ?? 'threw', message };
  }
}

const cache = new NodeCache({ maxKeys: MAX_KEYS, stdTTL: 0, useClones: false });
const filling = ['user-1', 'user-2', 'user-3'].map((key) => trySet(cache, key, { key }));
const newKeyWhenFull = trySet(cache, 'user-4', { key: 'user-4' });
const keysWhenFull = cache.keys();
const updateWhenFull = trySet(cache, 'user-1', { key: 'user-1', renamed: true });
cache.del('user-2');
const afterDelete = trySet(cache, 'user-4', { key: 'user-4' });
cache.close();

// The defaults, from a cache created without options.
const plain = new NodeCache();
const stored = { id: 'user-1' };
plain.set('user-1', stored);
stored.id = 'changed after set';
const defaults = {
  maxKeys: plain.options.maxKeys,
  useClones: plain.options.useClones,
  getReturnsTheStoredObject: plain.get('user-1') === stored,
  // set() kept a copy: changing the object afterwards does not change what the cache holds.
  setKeptACopy: plain.get<{ id: string }>('user-1')?.id === 'user-1',
  checkperiodSeconds: plain.options.checkperiod,
  // The sweep timer; hasRef() is false for a timer that does not keep the process alive.
  sweepTimerKeepsProcessAlive: (plain as unknown as { checkTimeout: NodeJS.Timeout }).checkTimeout.hasRef(),
};
plain.close();

report(
  {
    maxKeys: MAX_KEYS,
    filling: filling.map((result) => result.outcome),
    newKeyWhenFull,
    keysAfterRefusal: keysWhenFull,
    updateExistingKeyWhenFull: updateWhenFull,
    newKeyAfterDelete: afterDelete.outcome,
    defaults,
  },
  `the ${MAX_KEYS + 1}th key: ${newKeyWhenFull.outcome}; kept ${keysWhenFull.join(', ')}; update when full: ${updateWhenFull.outcome}; ` +
    `defaults: maxKeys ${defaults.maxKeys}, useClones ${defaults.useClones}, sweep timer ref'd ${defaults.sweepTimerKeepsProcessAlive}`,
);
