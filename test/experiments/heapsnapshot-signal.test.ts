import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { PROJECT_ROOT, measured, measuredNumber, runExperiment } from './run-experiment.ts';

interface Result {
  withSignalFlag: {
    signalsSent: number;
    snapshotsWritten: number;
    namesHoldThePid: boolean;
    allValidSnapshots: boolean;
    answeredAfterEachSignal: boolean[];
    stillRunning: boolean;
  };
  withoutDiagnosticDir: { snapshotInWorkingDirectory: boolean };
  withoutSignalFlag: { exitSignal: string | null; exitCode: number | null; snapshotsWritten: number };
  fileModes: { signalSnapshots: string[]; writeHeapSnapshot: string; ordinaryFile: string };
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('heapsnapshot-signal');
});

test('each SIGUSR2 writes one snapshot into --diagnostic-dir and the server keeps answering (heapsnapshot-signal-writes)', () => {
  const { withSignalFlag } = result;
  assert.equal(withSignalFlag.snapshotsWritten / withSignalFlag.signalsSent, measuredNumber('heapsnapshot-signal-writes'));
  assert.equal(withSignalFlag.allValidSnapshots, true, 'every file is a complete heap snapshot');
  assert.deepEqual(withSignalFlag.answeredAfterEachSignal, new Array(withSignalFlag.signalsSent).fill(true));
  assert.equal(withSignalFlag.stillRunning, true);
  assert.equal(result.withoutDiagnosticDir.snapshotInWorkingDirectory, true, 'without --diagnostic-dir: the working directory');
});

test('snapshot file names carry the pid (snapshot-name-has-pid)', () => {
  assert.equal(result.withSignalFlag.namesHoldThePid, measured('snapshot-name-has-pid').value);
});

test('without --heapsnapshot-signal, SIGUSR2 ends the process and writes nothing (heapsnapshot-signal-unset)', () => {
  assert.equal(result.withoutSignalFlag.exitSignal, measured('heapsnapshot-signal-unset').value);
  assert.equal(result.withoutSignalFlag.snapshotsWritten, 0);
});

test('snapshots are readable by their owner only, unlike an ordinary file (snapshot-file-mode)', () => {
  const ownerOnly = measured('snapshot-file-mode').value;
  for (const mode of result.fileModes.signalSnapshots) assert.equal(mode, ownerOnly);
  assert.equal(result.fileModes.writeHeapSnapshot, ownerOnly);
  // The control: under the same umask an ordinary file is readable by others, so 0600 is Node's choice.
  assert.notEqual(result.fileModes.ordinaryFile, ownerOnly);
});

test('the experiment removes the files it wrote', () => {
  const left = readdirSync(join(PROJECT_ROOT, 'output', 'experiments')).filter((name) => name.startsWith('heapsnapshot-signal-'));
  assert.deepEqual(left, []);
});
