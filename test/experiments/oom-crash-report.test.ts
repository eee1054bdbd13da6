import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, runExperiment } from './run-experiment.ts';

interface Result {
  exitSignal: string | null;
  stdoutHasGcLines: boolean;
  lastFewGcs: { headerPrinted: boolean; entries: number; kinds: string[] };
  fatalLine: string | null;
  nativeStackTrace: boolean;
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('oom-crash-report');
});

test('the process prints one FATAL ERROR line and dies from SIGABRT (oom-fatal-line)', () => {
  assert.equal(result.exitSignal, 'SIGABRT');
  assert.equal(result.fatalLine, measured('oom-fatal-line').value);
  assert.equal(result.nativeStackTrace, true);
});

test('without --trace-gc the crash report still lists the last GCs (oom-last-few-gcs)', () => {
  assert.equal(result.stdoutHasGcLines, false, 'no --trace-gc output during the run');
  assert.equal(result.lastFewGcs.headerPrinted, true);
  assert.ok(result.lastFewGcs.entries >= 1, `GC entries in the crash report: ${result.lastFewGcs.entries}`);
  assert.ok(result.lastFewGcs.kinds.includes(String(measured('oom-last-few-gcs').value)));
});
