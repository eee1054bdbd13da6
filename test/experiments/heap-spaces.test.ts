import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { assertNear, measured, runExperiment } from './run-experiment.ts';

interface Result {
  landedIn: string;
  heapUsedGrowthMiB: number;
  oldSpaceGrowthMiB: number;
  heapUsed: number;
  sumOfSpacesUsed: number;
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('heap-spaces');
});

test('a fresh 16 MB array lands outside old space and heapUsed counts it (heapused-all-spaces)', () => {
  assert.equal(result.landedIn, measured('heapused-all-spaces').value);
  // 16,000,000 bytes = 15.26 MiB; 0.2 MiB leaves room for what reading the statistics allocates.
  assertNear(result.heapUsedGrowthMiB, 15.26, 0.2, 'heapUsed growth');
  assert.ok(result.oldSpaceGrowthMiB < 0.5, `old space grew ${result.oldSpaceGrowthMiB} MiB`);
});

test('heapUsed is the sum of every space', () => {
  // Both are read one after the other; the read itself allocates a few KB.
  assertNear(result.heapUsed, result.sumOfSpacesUsed, 64 * 1024, 'heapUsed vs sum over spaces');
});
