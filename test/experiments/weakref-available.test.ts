import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, runExperiment } from './run-experiment.ts';

interface Result {
  node: string;
  weakRefType: string;
  finalizationRegistryType: string;
  derefAfterGc: string;
  finalizationCallbackRan: boolean;
}

let result: Result;

before(async () => {
  result = await runExperiment<Result>('weakref-available');
});

test('WeakRef and FinalizationRegistry exist without flags and work on this Node (weakref-available)', () => {
  const available = measured('weakref-available').value;
  assert.equal(result.weakRefType === 'function' && result.finalizationRegistryType === 'function', available, `on Node ${result.node}`);
  assert.equal(result.derefAfterGc, 'undefined', 'the target was collected once nothing else held it');
  assert.equal(result.finalizationCallbackRan, true);
});
