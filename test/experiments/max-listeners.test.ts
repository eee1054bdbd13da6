import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, measuredNumber, runExperiment } from './run-experiment.ts';

interface Result {
  defaultMaxListeners: number;
  firstWarningAtListener: number | null;
  warningText: string | null;
  furtherWarningsAfter20More: number;
  listenersOnSameName: number;
  thirtyNamesWarnings: number;
  setMaxListenersZero: { listeners: number; warnings: number };
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('max-listeners');
});

test('the default limit is 10 listeners per event name and the 11th warns (max-listeners-default)', () => {
  const limit = measuredNumber('max-listeners-default');
  assert.equal(result.defaultMaxListeners, limit);
  assert.equal(result.firstWarningAtListener, limit + 1);
});

test('the warning text, printed once, and nothing blocked (max-listeners-warning-text)', () => {
  assert.equal(result.warningText, measured('max-listeners-warning-text').value);
  assert.equal(result.furtherWarningsAfter20More, 0, 'the warning is printed only once');
  assert.equal(result.listenersOnSameName, 35, 'every one of the 35 listeners was added');
});

test('30 listeners on 30 different names give no warning (max-listeners-per-event)', () => {
  assert.equal(result.thirtyNamesWarnings, measuredNumber('max-listeners-per-event'));
});

test('setMaxListeners(0) silences the warning while the listeners keep piling up (max-listeners-zero)', () => {
  assert.equal(result.setMaxListenersZero.listeners, 100);
  assert.equal(result.setMaxListenersZero.warnings, measuredNumber('max-listeners-zero'));
});
