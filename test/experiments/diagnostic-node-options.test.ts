import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { PROJECT_ROOT, measured, runExperiment } from './run-experiment.ts';

interface Result {
  acceptedInNodeOptions: Record<string, boolean>;
  control: { flag: string; accepted: boolean; message: string };
  signalFromNodeOptions: { snapshotWritten: boolean; inDiagnosticDir: boolean; answeredAfterSignal: boolean };
  nearHeapLimitFromNodeOptions: { exitSignal: string | null; snapshotsWritten: number; mode: string | null };
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('diagnostic-node-options');
});

test('NODE_OPTIONS accepts the three diagnostic flags, and refuses some others (node-options-diagnostic-flags)', () => {
  const flags = measured('node-options-diagnostic-flags').value as string[];
  for (const flag of flags) assert.equal(result.acceptedInNodeOptions[flag], true, `${flag} accepted in NODE_OPTIONS`);
  // The control shows the check can fail: Node does refuse flags it does not allow there.
  assert.equal(result.control.accepted, false);
  assert.match(result.control.message, /is not allowed in NODE_OPTIONS/);
});

test('flags given only in NODE_OPTIONS take effect (node-options-diagnostic-flags)', () => {
  assert.deepEqual(result.signalFromNodeOptions, { snapshotWritten: true, inDiagnosticDir: true, answeredAfterSignal: true });
  assert.equal(result.nearHeapLimitFromNodeOptions.exitSignal, 'SIGABRT', 'the leaking process still dies');
  assert.equal(result.nearHeapLimitFromNodeOptions.snapshotsWritten, 1);
});

test('the near-heap-limit snapshot is readable by its owner only too (snapshot-file-mode)', () => {
  assert.equal(result.nearHeapLimitFromNodeOptions.mode, measured('snapshot-file-mode').value);
});

test('the experiment removes the files it wrote', () => {
  const left = readdirSync(join(PROJECT_ROOT, 'output', 'experiments')).filter((name) => name.startsWith('diagnostic-node-options-'));
  assert.deepEqual(left, []);
});
