import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, measuredNumber, runExperiment } from './run-experiment.ts';

interface Growth {
  heapUsed: number;
  external: number;
  rss: number;
}

interface Result {
  streams: number;
  whileOpenMiB: Growth;
  rssPerStreamKiB: number;
  afterDestroyMiB: Growth;
}

let result: Result;

before(async () => {
  result = await runExperiment<Result>('native-memory');
});

test('open zlib streams grow rss, not the heap (zlib-native-memory)', () => {
  const { rssMiB, heapMaxMiB, externalMaxMiB } = measured('zlib-native-memory').value as { rssMiB: [number, number]; heapMaxMiB: number; externalMaxMiB: number };
  const open = result.whileOpenMiB;
  assert.ok(open.rss >= rssMiB[0] && open.rss <= rssMiB[1], `rss +${open.rss} MiB`);
  assert.ok(open.heapUsed < heapMaxMiB, `heapUsed +${open.heapUsed} MiB`);
  assert.ok(open.external < externalMaxMiB, `external +${open.external} MiB`);
  assert.ok(open.rss > 5 * (open.heapUsed + open.external), 'most of it is outside what heapUsed and external count');
});

test('destroying the streams gives the memory back (zlib-destroy-frees)', () => {
  assert.ok(result.afterDestroyMiB.rss < measuredNumber('zlib-destroy-frees'), `rss +${result.afterDestroyMiB.rss} MiB after destroy()`);
});
