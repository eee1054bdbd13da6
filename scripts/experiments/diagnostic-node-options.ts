/**
 * Node's diagnostic flags work from the NODE_OPTIONS environment variable, which is how a container
 * or a process manager passes them without changing the start command. Node refuses some flags in
 * NODE_OPTIONS ("... is not allowed in NODE_OPTIONS") and exits; the experiment shows that the
 * three diagnostic flags are accepted (with --eval as a control that is refused), then that they
 * take effect from there: a signal writes a snapshot into the --diagnostic-dir given in NODE_OPTIONS,
 * and a leaking process given --heapsnapshot-near-heap-limit in NODE_OPTIONS leaves a snapshot
 * behind when it dies.
 *
 *   node --import tsx scripts/experiments/diagnostic-node-options.ts
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { report } from './lib/harness.ts';
import { removeScratch, scratchDir } from './lib/output-dir.ts';
import { answers, modeOf, snapshotsIn, startTarget, stopTarget, waitForNewSnapshot } from './lib/signal-snapshots.ts';

const leakingSubject = fileURLToPath(new URL('./lib/grow-until-oom.ts', import.meta.url));

/** Run `node -e` with only NODE_OPTIONS set to `options`: did Node start, and what did it say? */
function startsWith(options: string): { accepted: boolean; stderr: string } {
  const env = { ...process.env, NODE_OPTIONS: options };
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write("started")'], { env, encoding: 'utf8' });
  // Drop the "/usr/bin/node: " prefix so the message reads the same on every machine.
  const stderr = run.stderr.trim().replace(`${process.execPath}: `, '');
  return { accepted: run.status === 0 && run.stdout === 'started', stderr };
}

const dir = scratchDir('diagnostic-node-options');
try {
  // 1. Which flags Node accepts in NODE_OPTIONS.
  const accepted: Record<string, boolean> = {};
  for (const flag of ['--heapsnapshot-near-heap-limit=1', `--diagnostic-dir=${dir}`, '--heapsnapshot-signal=SIGUSR2']) {
    accepted[flag.replace(/=.*/, '')] = startsWith(flag).accepted;
  }
  const refused = startsWith('--eval=1');

  // 2. --heapsnapshot-signal and --diagnostic-dir from NODE_OPTIONS: a signal writes a snapshot there.
  const signalDir = join(dir, 'signal');
  mkdirSync(signalDir);
  const server = await startTarget([], `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${signalDir}`);
  let signalSnapshot: string | null = null;
  let answeredAfterSignal = false;
  try {
    server.child.kill('SIGUSR2');
    signalSnapshot = await waitForNewSnapshot(signalDir, 0);
    answeredAfterSignal = await answers(server);
  } finally {
    await stopTarget(server);
  }

  // 3. --heapsnapshot-near-heap-limit from NODE_OPTIONS: a leaking process leaves a snapshot when it dies.
  const crashDir = join(dir, 'near-limit');
  mkdirSync(crashDir);
  const env = { ...process.env, NODE_OPTIONS: `--max-old-space-size=64 --heapsnapshot-near-heap-limit=1 --diagnostic-dir=${crashDir}` };
  const crash = spawnSync(process.execPath, ['--import', 'tsx', leakingSubject], { env, encoding: 'utf8', timeout: 120_000 });
  const crashSnapshots = snapshotsIn(crashDir);

  report(
    {
      acceptedInNodeOptions: accepted,
      control: { flag: '--eval', accepted: refused.accepted, message: refused.stderr },
      signalFromNodeOptions: {
        snapshotWritten: signalSnapshot !== null,
        inDiagnosticDir: signalSnapshot !== null && snapshotsIn(signalDir).includes(signalSnapshot),
        answeredAfterSignal,
      },
      nearHeapLimitFromNodeOptions: {
        exitSignal: crash.signal,
        snapshotsWritten: crashSnapshots.length,
        mode: crashSnapshots[0] ? modeOf(join(crashDir, crashSnapshots[0])) : null,
      },
    },
    `accepted: ${JSON.stringify(accepted)}; --eval refused: ${!refused.accepted}; ` +
      `signal snapshot: ${signalSnapshot !== null}; near-limit snapshots after the crash: ${crashSnapshots.length}`,
  );
} finally {
  removeScratch(dir);
}
