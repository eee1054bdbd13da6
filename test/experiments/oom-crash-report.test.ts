import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, runExperiment } from './run-experiment.ts';

interface Result {
  exitSignal: string | null;
  shellExitStatus: number | null;
  killedShellExitStatus: number | null;
  stdoutHasGcLines: boolean;
  lastFewGcs: { headerPrinted: boolean; entries: number; kinds: string[] };
  fatalLine: string | null;
  nativeStackTrace: boolean;
}

let result: Result;

before(async () => {
  result = await runExperiment<Result>('oom-crash-report');
});

test('the process prints one FATAL ERROR line with one of the two reasons and dies from SIGABRT (oom-fatal-line)', () => {
  assert.equal(result.exitSignal, 'SIGABRT');
  const reasons = measured('gc-near-limit-abort-text').value as string[];
  const expected = reasons.map((reason) => `FATAL ERROR: ${reason} ${String(measured('oom-fatal-line').value)}`);
  assert.ok(expected.includes(result.fatalLine ?? ''), `fatal line: ${result.fatalLine}`);
  assert.equal(result.nativeStackTrace, true);
});

test('without --trace-gc the crash report still lists the last GCs (oom-last-few-gcs)', () => {
  assert.equal(result.stdoutHasGcLines, false, 'no --trace-gc output during the run');
  assert.equal(result.lastFewGcs.headerPrinted, true);
  assert.ok(result.lastFewGcs.entries >= 1 && result.lastFewGcs.entries <= 3, `GC entries in the crash report: ${result.lastFewGcs.entries}`);
  const kind = String(measured('oom-last-few-gcs').value);
  assert.ok(result.lastFewGcs.kinds.some((listed) => listed.includes(kind)), `kinds listed: ${result.lastFewGcs.kinds.join(', ')}`);
});

test('a shell reports the aborted process as exit status 134 (oom-exit-status)', () => {
  assert.equal(result.shellExitStatus, measured('oom-exit-status').value);
});

test('a process killed with SIGKILL, as by the OOM killer, is reported as 137 (killed-exit-status)', () => {
  assert.equal(result.killedShellExitStatus, measured('killed-exit-status').value);
});
