import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, measuredNumber, runExperiment } from './run-experiment.ts';

interface Outcome {
  outcome: string;
  message?: string;
}

interface Result {
  maxKeys: number;
  filling: string[];
  newKeyWhenFull: Outcome;
  keysAfterRefusal: string[];
  updateExistingKeyWhenFull: Outcome;
  newKeyAfterDelete: string;
  defaults: {
    maxKeys: number;
    useClones: boolean;
    getReturnsTheStoredObject: boolean;
    setKeptACopy: boolean;
    checkperiodSeconds: number;
    sweepTimerKeepsProcessAlive: boolean;
  };
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('node-cache-bounds');
});

test('a full node-cache throws ECACHEFULL on set and evicts nothing (node-cache-full-error)', () => {
  assert.deepEqual(result.filling, new Array(result.maxKeys).fill('stored'));
  assert.equal(result.newKeyWhenFull.outcome, measured('node-cache-full-error').value);
  assert.equal(result.newKeyWhenFull.message, 'Cache max keys amount exceeded');
  assert.ok(measured('node-cache-full-error').display.includes(result.newKeyWhenFull.message!), 'the page quotes the real message');
  assert.deepEqual(result.keysAfterRefusal, ['user-1', 'user-2', 'user-3'], 'the oldest keys are still there');
  assert.equal(result.newKeyAfterDelete, 'stored', 'room made by a delete is usable again');
});

test('while full, even updating a key already in the cache throws (node-cache-full-update)', () => {
  assert.equal(result.updateExistingKeyWhenFull.outcome, measured('node-cache-full-update').value);
});

test('without the option there is no key limit (node-cache-maxkeys-default)', () => {
  assert.equal(result.defaults.maxKeys, measuredNumber('node-cache-maxkeys-default'));
});

test('by default set() and get() copy the value (node-cache-clones-default)', () => {
  assert.equal(result.defaults.useClones, measured('node-cache-clones-default').value);
  assert.equal(result.defaults.getReturnsTheStoredObject, false);
  assert.equal(result.defaults.setKeptACopy, true);
});

test('the expiry sweep runs on a timer that does not keep the process alive (node-cache-sweep-timer)', () => {
  assert.equal(result.defaults.sweepTimerKeepsProcessAlive, measured('node-cache-sweep-timer').value);
  assert.equal(result.defaults.checkperiodSeconds, 600);
});
