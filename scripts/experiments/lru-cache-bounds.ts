/**
 * What bounds an lru-cache 11 and what does not. A cache with no max, maxSize or ttl is refused at
 * construction; a cache with only a ttl is accepted with a warning, because nothing limits how many
 * entries it holds. With max, adding one entry too many evicts the least recently used one (a get()
 * counts as a use). With a ttl, an expired entry is not swept in the background: it still counts in
 * `size` until something reads it.
 *
 *   node --import tsx scripts/experiments/lru-cache-bounds.ts
 */
import { LRUCache } from 'lru-cache';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { report } from './lib/harness.ts';

const TTL_MS = 30;

/** lru-cache's types already reject the two unbounded set-ups below; a JavaScript caller (or a cast)
 *  gets past them, and the checks at run time are what this experiment measures. */
type AnyOptions = LRUCache.Options<string, number, unknown>;

// 1. No bound at all: the constructor throws.
let unboundedError = '';
try {
  new LRUCache<string, number>({} as AnyOptions);
} catch (error) {
  unboundedError = `${(error as Error).name}: ${(error as Error).message}`;
}

// 2. Only a ttl: accepted, with a process warning.
const warned = once(process, 'warning') as Promise<[Error & { code?: string }]>;
const ttlOnly = new LRUCache<string, number>({ ttl: 60_000 } as AnyOptions);
ttlOnly.set('a', 1);
const [warning] = await warned;

// 3. max: the least recently used entry goes first.
const byCount = new LRUCache<string, number>({ max: 2 });
byCount.set('a', 1);
byCount.set('b', 2);
byCount.get('a'); // 'a' is now the most recently used
byCount.set('c', 3);

// 4. ttl: expired entries stay counted until they are read.
const byAge = new LRUCache<string, number>({ max: 10, ttl: TTL_MS });
byAge.set('x', 1);
await sleep(TTL_MS * 3);
const sizeAfterExpiry = byAge.size;
const readAfterExpiry = byAge.get('x');
const sizeAfterRead = byAge.size;

report(
  {
    noBound: { error: unboundedError },
    ttlOnly: { accepted: ttlOnly.size === 1, warning: `${warning.name}: ${warning.message}`, code: warning.code ?? null },
    maxEviction: { max: 2, keysAfterThird: [...byCount.keys()].sort() },
    ttlExpiry: { ttlMs: TTL_MS, waitedMs: TTL_MS * 3, sizeAfterExpiry, readAfterExpiry: String(readAfterExpiry), sizeAfterRead },
  },
  `no bound: ${unboundedError}; ttl only: ${warning.code}; kept after eviction: ${[...byCount.keys()].sort().join(', ')}; ` +
    `expired entry counted until read: size ${sizeAfterExpiry} -> ${sizeAfterRead}`,
);
