import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { PROJECT_ROOT, measured, runExperiment, unmeasuredHere } from './run-experiment.ts';

interface Result {
  signal: { serverEnded: boolean; exitCode: number | null; error: string | null };
  nearHeapLimit: { exit: string | number | null; assertionFailed: boolean; firstLine: string | null; heapOutOfMemoryLine: boolean };
  snapshotsWritten: number;
  folderCreated: boolean;
}

let result: Result;

before(async () => {
  result = await runExperiment<Result>('diagnostic-dir-missing');
});

test('on a signal, the write fails and the server dies (diagnostic-dir-missing-signal)', () => {
  assert.equal(result.signal.serverEnded, true, 'the server went down');
  assert.equal(result.signal.exitCode, 1);
  assert.equal(result.signal.error, measured('diagnostic-dir-missing-signal').value);
});

test('near the heap limit, no snapshot, and this line dies its own way (diagnostic-dir-missing-near-limit)', { skip: unmeasuredHere('diagnostic-dir-missing-near-limit') }, () => {
  const how = measured('diagnostic-dir-missing-near-limit').value;
  const { exit, assertionFailed, heapOutOfMemoryLine } = result.nearHeapLimit;
  const oom = exit === 'SIGABRT' && heapOutOfMemoryLine;
  if (how === 'enoent') assert.ok(exit === 1 && !heapOutOfMemoryLine, `exit ${exit}, out-of-memory line ${heapOutOfMemoryLine}`);
  else if (how === 'oom') assert.ok(oom, `exit ${exit}: ${result.nearHeapLimit.firstLine}`);
  else assert.ok(oom || (exit === 'SIGABRT' && assertionFailed), `exit ${exit}: ${result.nearHeapLimit.firstLine}`);
});

test('nothing is written anywhere and the folder is not created', () => {
  assert.equal(result.snapshotsWritten, 0);
  assert.equal(result.folderCreated, false);
});

test('the experiment removes the files it wrote', () => {
  const left = readdirSync(join(PROJECT_ROOT, 'output', 'experiments')).filter((name) => name.startsWith('diagnostic-dir-missing-'));
  assert.deepEqual(left, []);
});
