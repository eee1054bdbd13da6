/**
 * Snapshots on demand with a signal. An Express server started with
 * --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=DIR gets SIGUSR2 twice: each signal writes one
 * .heapsnapshot into DIR, and the server answers HTTP requests after each one. A control run
 * without --heapsnapshot-signal shows why the flag must be set ahead of time: SIGUSR2's default
 * action ends the process, and nothing is written. The file modes are read too: the snapshots are
 * readable by their owner only, while an ordinary file written under the same umask is not.
 *
 *   node --import tsx scripts/experiments/heapsnapshot-signal.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import { report } from './lib/harness.ts';
import { removeScratch, scratchDir } from './lib/output-dir.ts';
import { answers, modeOf, snapshotsIn, startTarget, stopTarget, waitForNewSnapshot } from './lib/signal-snapshots.ts';

const SIGNALS = 2;

/** True when the file parses as a heap snapshot: JSON with the meta that describes its arrays. */
function isHeapSnapshot(path: string): boolean {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { snapshot?: { meta?: { node_fields?: unknown } }; nodes?: unknown };
    return Array.isArray(parsed.snapshot?.meta?.node_fields) && Array.isArray(parsed.nodes);
  } catch {
    return false;
  }
}

// The usual umask, set explicitly so the control is the same on every machine: under it an ordinary
// file is readable by everyone (0644), so a 0600 snapshot is Node's own choice. Children inherit it.
process.umask(0o022);

const dir = scratchDir('heapsnapshot-signal');
try {
  // 1. With the flag: one snapshot per signal, into DIR, and the server keeps answering.
  const diagnosticDir = join(dir, 'diag');
  mkdirSync(diagnosticDir);
  const server = await startTarget(['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${diagnosticDir}`]);
  const serverPid = server.child.pid!;
  const answeredAfterSignal: boolean[] = [];
  const written: string[] = [];
  let stillRunning = false;
  try {
    for (let i = 0; i < SIGNALS; i++) {
      server.child.kill('SIGUSR2');
      const file = await waitForNewSnapshot(diagnosticDir, written.length);
      if (file) written.push(file);
      // Answered only once the (synchronous) write is over: the file is then complete.
      answeredAfterSignal.push(await answers(server));
    }
    stillRunning = server.child.exitCode === null && server.child.signalCode === null;
  } finally {
    await stopTarget(server);
  }
  const snapshotModes = written.map((name) => modeOf(join(diagnosticDir, name)));
  const allValid = written.every((name) => isHeapSnapshot(join(diagnosticDir, name)));

  // 2. Without --diagnostic-dir, the snapshot goes into the process's working directory.
  const workingDir = join(dir, 'cwd');
  mkdirSync(workingDir);
  const noDir = await startTarget(['--heapsnapshot-signal=SIGUSR2'], undefined, workingDir);
  let inWorkingDir: string | null = null;
  try {
    noDir.child.kill('SIGUSR2');
    inWorkingDir = await waitForNewSnapshot(workingDir, 0);
    await answers(noDir); // the write is over once the server answers
  } finally {
    await stopTarget(noDir);
  }

  // 3. Without --heapsnapshot-signal, the same signal ends the process and writes nothing.
  const controlDir = join(dir, 'control');
  mkdirSync(controlDir);
  const plain = await startTarget([`--diagnostic-dir=${controlDir}`]);
  plain.child.kill('SIGUSR2');
  const withoutFlag = await plain.ended;

  // 4. File modes: a snapshot written from code, and an ordinary file, under the same umask.
  const fromCode = v8.writeHeapSnapshot(join(dir, 'from-code.heapsnapshot'));
  const ordinary = join(dir, 'ordinary.txt');
  writeFileSync(ordinary, 'not a snapshot');

  report(
    {
      withSignalFlag: {
        signalsSent: SIGNALS,
        snapshotsWritten: written.length,
        fileNames: written,
        // Heap.<date>.<time>.<pid>.<thread>.<sequence>.heapsnapshot: processes never overwrite each other.
        namesHoldThePid: written.length > 0 && written.every((name) => name.split('.')[3] === String(serverPid)),
        allValidSnapshots: allValid,
        answeredAfterEachSignal: answeredAfterSignal,
        stillRunning,
      },
      withoutDiagnosticDir: { snapshotInWorkingDirectory: inWorkingDir !== null },
      withoutSignalFlag: { exitSignal: withoutFlag.signal, exitCode: withoutFlag.code, snapshotsWritten: snapshotsIn(controlDir).length },
      fileModes: { signalSnapshots: snapshotModes, writeHeapSnapshot: modeOf(fromCode), ordinaryFile: modeOf(ordinary) },
    },
    `${written.length} snapshots for ${SIGNALS} signals, server answered: ${answeredAfterSignal.join(', ')}; ` +
      `without the flag SIGUSR2 ended it (${withoutFlag.signal}); modes ${snapshotModes.join(', ')} vs ordinary ${modeOf(ordinary)}`,
  );
} finally {
  removeScratch(dir);
}
