import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, runExperiment } from './run-experiment.ts';

interface Result {
  workers: number;
  workersHeapUsedMiB: number[];
  mergedHeapUsedMiB: number;
  sumOfWorkersMiB: number;
  largestWorkerMiB: number;
  mergedSeries: string[];
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('prom-cluster-sum');
});

test('the merged heap series is the sum of the workers, with no worker label (prom-cluster-heap-summed)', () => {
  assert.equal(measured('prom-cluster-heap-summed').value, 'sum');
  // The workers' own readings are taken just after the scrape, so allow a little drift.
  assert.ok(Math.abs(result.mergedHeapUsedMiB - result.sumOfWorkersMiB) < 2, `merged ${result.mergedHeapUsedMiB} vs sum ${result.sumOfWorkersMiB}`);
  // Not the largest worker (nor an average): the sum is clearly above it.
  assert.ok(result.mergedHeapUsedMiB > result.largestWorkerMiB + 4, `merged ${result.mergedHeapUsedMiB} vs largest ${result.largestWorkerMiB}`);
  assert.equal(result.mergedSeries.length, 1, 'one series for the whole cluster');
  assert.doesNotMatch(result.mergedSeries[0]!, /\{/, 'no label tells the workers apart');
});
