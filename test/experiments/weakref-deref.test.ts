import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, runExperiment } from './run-experiment.ts';

interface Result {
  createdThenGcSameJob: { forcedGcs: number; targetStillThere: boolean[] };
  inMicrotasksOfTheJob: { queueMicrotask: boolean; promiseReaction: boolean };
  laterJobAfterGc: { targetStillThere: boolean };
  control: { bothAliveWhileHeld: boolean; derefedBeforeGc: boolean; sameJobAfterDropAndGc: { derefed: boolean; notDerefed: boolean } };
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('weakref-deref');
});

test('a WeakRef created in this job keeps its target through forced GCs until the job ends (weakref-deref-same-job)', () => {
  const { forcedGcs, targetStillThere } = result.createdThenGcSameJob;
  assert.ok(forcedGcs >= 1);
  assert.deepEqual(targetStillThere, new Array(forcedGcs).fill(measured('weakref-deref-same-job').value));
});

test('in a later job, a GC collects the unreachable target and deref() returns undefined (weakref-deref-later-job)', () => {
  assert.equal(measured('weakref-deref-later-job').value, 'undefined');
  assert.equal(result.laterJobAfterGc.targetStillThere, false);
});

test('deref() in the current job is what keeps a target: without it, a GC in the same job takes it (weakref-deref-keeps-target)', () => {
  const { control } = result;
  assert.equal(control.bothAliveWhileHeld, true, 'both targets live while strongly held');
  assert.equal(control.derefedBeforeGc, true);
  assert.equal(control.sameJobAfterDropAndGc.derefed, measured('weakref-deref-keeps-target').value);
  assert.equal(control.sameJobAfterDropAndGc.notDerefed, false);
});

test('the job includes its microtasks: a GC in them still finds the target (weakref-deref-microtasks)', () => {
  const kept = measured('weakref-deref-microtasks').value;
  assert.deepEqual(result.inMicrotasksOfTheJob, { queueMicrotask: kept, promiseReaction: kept });
});
