import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, runExperiment } from './run-experiment.ts';

interface Result {
  setStringError: string | null;
  setNumberError: string | null;
  getStringResult: string;
  hasStringResult: boolean;
  objectKeyError: string | null;
  uniqueSymbolKeyError: string | null;
  registeredSymbolKeyError: string | null;
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('weakmap-keys');
});

test('WeakMap.set with a string key throws the quoted TypeError (weakmap-error-text)', () => {
  const text = measured('weakmap-error-text').value;
  assert.equal(result.setStringError, text);
  assert.equal(result.setNumberError, text);
  assert.equal(result.registeredSymbolKeyError, text, 'Symbol.for symbols are refused too');
});

test('get and has with a string key fail silently; objects and unique symbols are keys', () => {
  assert.equal(result.getStringResult, 'undefined');
  assert.equal(result.hasStringResult, false);
  assert.equal(result.objectKeyError, null);
  assert.equal(result.uniqueSymbolKeyError, null);
});
