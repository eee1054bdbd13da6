import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { assertNear, measuredNumber, runExperiment } from './run-experiment.ts';

interface Result {
  indexLoopMiB: number;
  forOfMiB: number;
  capturingNothingMiB: number;
  noClosuresMiB: number;
}

/** Object sizes are fixed by V8; 3% covers GC timing noise over ~100 MiB without hiding a change of layout. */
const within3Percent = (value: number) => value * 0.03;

let result: Result;
before(async () => {
  result = await runExperiment<Result>('closures-in-loops');
});

test('a million closures from an index loop (closures-index-mib)', () => {
  const expected = measuredNumber('closures-index-mib');
  assertNear(result.indexLoopMiB, expected, within3Percent(expected), 'MiB retained');
});

test('a million closures from for...of cost about the same (closures-forof-mib)', () => {
  const expected = measuredNumber('closures-forof-mib');
  assertNear(result.forOfMiB, expected, within3Percent(expected), 'MiB retained');
  assert.ok(Math.abs(result.forOfMiB - result.indexLoopMiB) < result.indexLoopMiB * 0.1, 'for...of is no fix');
});

test('closures capturing nothing still cost most of it; no closures cost little (closures-empty-mib)', () => {
  const expected = measuredNumber('closures-empty-mib');
  assertNear(result.capturingNothingMiB, expected, within3Percent(expected), 'MiB retained');
  assert.ok(result.noClosuresMiB < result.capturingNothingMiB / 4, 'not creating the functions is the fix');
});
