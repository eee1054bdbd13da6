import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, measuredNumber, runExperiment, unmeasuredHere } from './run-experiment.ts';

interface Result {
  workerOldGenerationMiB: number;
  workerHeapLimitMiB: number;
  mainHeapLimitMiB: number;
  workerHighestHeapUsedMiB: number;
  workerError: { code: string | null; message: string };
  workerExitCode: number;
  mainStillRunning: boolean;
  mainHeapGrowthMiB: number;
  /** Attempts in which V8 aborted the whole process instead (rare, on a loaded machine). */
  wholeProcessAborts: number;
}

let result: Result;

before(async () => {
  result = await runExperiment<Result>('worker-heap-limits');
});

test("a worker's heap limit is its own cap plus this line's young reserve (worker-heap-limit)", { skip: unmeasuredHere('young-generation-reserve') }, () => {
  assert.equal(result.workerOldGenerationMiB, measuredNumber('worker-heap-limit'));
  assert.equal(result.workerHeapLimitMiB, result.workerOldGenerationMiB + measuredNumber('young-generation-reserve'));
  assert.notEqual(result.workerHeapLimitMiB, result.mainHeapLimitMiB, 'not the main thread limit');
});

test('past its cap only the worker dies, with ERR_WORKER_OUT_OF_MEMORY (worker-oom-error)', () => {
  assert.equal(result.workerError.code, measured('worker-oom-error').value);
  assert.ok(result.workerHighestHeapUsedMiB > result.workerOldGenerationMiB * 0.8, `the worker reached ${result.workerHighestHeapUsedMiB} MiB`);
  assert.equal(result.mainStillRunning, true);
  assert.equal(typeof result.wholeProcessAborts, 'number', 'the parent reports how many attempts V8 aborted');
});

test("the main thread's heap never held the worker's objects (worker-main-heap-unaffected)", () => {
  assert.ok(Math.abs(result.mainHeapGrowthMiB) < measuredNumber('worker-main-heap-unaffected'), `main heap ${result.mainHeapGrowthMiB} MiB`);
});
