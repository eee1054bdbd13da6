import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, measuredNumber, runExperiment } from './run-experiment.ts';

interface Result {
  noBound: { error: string };
  ttlOnly: { accepted: boolean; warning: string; code: string | null };
  maxEviction: { max: number; keysAfterThird: string[] };
  ttlExpiry: { ttlMs: number; waitedMs: number; sizeAfterExpiry: number; readAfterExpiry: string; sizeAfterRead: number };
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('lru-cache-bounds');
});

test('a cache with no max, maxSize or ttl is refused (lru-cache-needs-bound)', () => {
  assert.equal(result.noBound.error, measured('lru-cache-needs-bound').value);
});

test('a ttl-only cache is accepted with a warning (lru-cache-ttl-only-warning)', () => {
  assert.equal(result.ttlOnly.accepted, true);
  assert.equal(result.ttlOnly.warning, measured('lru-cache-ttl-only-warning').value);
  assert.equal(result.ttlOnly.code, 'LRU_CACHE_UNBOUNDED');
});

test('past max, the least recently used entry is evicted, and get() counts as a use (lru-cache-evicts-lru)', () => {
  assert.deepEqual(result.maxEviction.keysAfterThird, measured('lru-cache-evicts-lru').value);
});

test('an expired entry stays counted until it is read (lru-cache-ttl-lazy)', () => {
  assert.ok(result.ttlExpiry.waitedMs > result.ttlExpiry.ttlMs);
  assert.equal(result.ttlExpiry.sizeAfterExpiry, measuredNumber('lru-cache-ttl-lazy'));
  assert.equal(result.ttlExpiry.readAfterExpiry, 'undefined');
  assert.equal(result.ttlExpiry.sizeAfterRead, 0);
});
