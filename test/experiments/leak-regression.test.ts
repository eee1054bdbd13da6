import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measuredNumber, measuredRange, runExperiment } from './run-experiment.ts';

interface Result {
  thresholdBytesPerCall: number;
  leakyBytesPerCall: number[];
  cleanBytesPerCall: number[];
  leakyCaughtEveryTime: boolean;
  cleanPassedEveryTime: boolean;
}

let result: Result;

before(async () => {
  result = await runExperiment<Result>('leak-regression');
});

test('the leaky handler measures a few hundred bytes per call, every time (regression-leaky-caught)', () => {
  const [low, high] = measuredRange('regression-leaky-caught');
  for (const bytes of result.leakyBytesPerCall) assert.ok(bytes >= low && bytes <= high, `${bytes} B per call`);
  assert.equal(result.leakyCaughtEveryTime, true);
});

test('the clean handler stays under the threshold, every time (regression-clean-passes)', () => {
  assert.equal(result.thresholdBytesPerCall, measuredNumber('regression-clean-passes'));
  for (const bytes of result.cleanBytesPerCall) assert.ok(Math.abs(bytes) < result.thresholdBytesPerCall, `${bytes} B per call`);
  assert.equal(result.cleanPassedEveryTime, true);
});
