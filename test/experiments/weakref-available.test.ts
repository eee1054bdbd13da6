import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, runExperiment } from './run-experiment.ts';

interface Result {
  node: string;
  documentedSince: string;
  weakRefType: string;
  finalizationRegistryType: string;
  derefAfterGc: string;
  finalizationCallbackRan: boolean;
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('weakref-available');
});

test('WeakRef and FinalizationRegistry exist and work on this Node (weakref-available)', () => {
  assert.equal(result.documentedSince, measured('weakref-available').value);
  assert.equal(result.weakRefType, 'function');
  assert.equal(result.finalizationRegistryType, 'function');
  assert.equal(result.derefAfterGc, 'undefined', 'the target was collected once nothing else held it');
  assert.equal(result.finalizationCallbackRan, true);
});
