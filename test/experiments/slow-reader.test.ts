import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, measuredNumber, runExperiment } from './run-experiment.ts';

interface Stream {
  writtenMiB: number;
  maxQueuedMiB: number;
  writesReturningFalse: number;
  gaveUp: boolean;
  closeFired: boolean;
}

interface Result {
  totalMiB: number;
  stopAtMiB: number;
  reading: Stream;
  stalled: Stream;
  stalledMemoryGrowthMiB: number;
  memoryLeftAfterDestroyMiB: number;
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('slow-reader');
});

test('for a client that stops reading, write() returns false but keeps queuing in memory (slow-reader-backlog)', () => {
  const { reading, stalled } = result;
  // Control: a client that reads gets everything and almost nothing waits for it.
  assert.equal(reading.writtenMiB, result.totalMiB);
  assert.ok(reading.maxQueuedMiB < 1, `reading client: ${reading.maxQueuedMiB} MiB waiting`);
  // The stalled client: write() said false many times, and the backlog reached the quoted size.
  assert.ok(stalled.writesReturningFalse > 100, `${stalled.writesReturningFalse} writes returned false`);
  assert.ok(stalled.maxQueuedMiB >= measuredNumber('slow-reader-backlog'), `${stalled.maxQueuedMiB} MiB waiting`);
  // The backlog is the server's own memory: post-GC heapUsed + external grew by at least as much.
  assert.ok(result.stalledMemoryGrowthMiB >= result.stopAtMiB * 0.9, `memory +${result.stalledMemoryGrowthMiB} MiB`);
});

test("res.destroy() fires 'close' and frees the backlog (slow-reader-destroy-close)", () => {
  assert.equal(result.stalled.gaveUp, true);
  assert.equal(result.stalled.closeFired, measured('slow-reader-destroy-close').value);
  assert.ok(result.memoryLeftAfterDestroyMiB < 2, `left after destroy: ${result.memoryLeftAfterDestroyMiB} MiB`);
});
