/**
 * Which diagnostics survive an out-of-memory crash? --heapsnapshot-near-heap-limit=1 with
 * --diagnostic-dir writes a heap snapshot just before V8 gives up, so the evidence is on disk after
 * the crash. --heap-prof writes its profile only when the process exits normally: after an OOM
 * crash its folder is empty. A control run with a normal exit shows --heap-prof does work.
 *
 *   node --import tsx scripts/experiments/oom-diagnostics.ts
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report, toMiB } from './lib/harness.ts';
import { runNode } from './lib/node-child.ts';
import { removeScratch, scratchDir } from './lib/output-dir.ts';

const HEAP_CAP = '--max-old-space-size=64';
const subject = fileURLToPath(new URL('./lib/grow-until-oom.ts', import.meta.url));

function filesEndingWith(dir: string, suffix: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith(suffix));
}

const dir = scratchDir('oom-diagnostics');
try {
  const snapshotDir = join(dir, 'near-limit');
  const crashProfileDir = join(dir, 'heap-prof-crash');
  const normalProfileDir = join(dir, 'heap-prof-normal-exit');
  for (const folder of [snapshotDir, crashProfileDir, normalProfileDir]) mkdirSync(folder);

  const withSnapshot = await runNode([HEAP_CAP, '--heapsnapshot-near-heap-limit=1', `--diagnostic-dir=${snapshotDir}`, '--import', 'tsx', subject]);
  const snapshots = filesEndingWith(snapshotDir, '.heapsnapshot');

  const withHeapProf = await runNode([HEAP_CAP, '--heap-prof', `--heap-prof-dir=${crashProfileDir}`, '--import', 'tsx', subject]);
  const crashProfiles = filesEndingWith(crashProfileDir, '.heapprofile');

  const normalExit = await runNode([HEAP_CAP, '--heap-prof', `--heap-prof-dir=${normalProfileDir}`, '--import', 'tsx', subject, 'exit-at=20']);
  const normalProfiles = filesEndingWith(normalProfileDir, '.heapprofile');

  report(
    {
      nearLimitSnapshot: {
        exitSignal: withSnapshot.signal,
        snapshotsWritten: snapshots.length,
        snapshotMiB: snapshots.length > 0 ? toMiB(statSync(join(snapshotDir, snapshots[0]!)).size) : 0,
        snapshotName: snapshots[0] ?? null,
      },
      heapProfOnOom: { exitSignal: withHeapProf.signal, profilesWritten: crashProfiles.length },
      heapProfOnNormalExit: { exitCode: normalExit.code, profilesWritten: normalProfiles.length },
    },
    `near-limit snapshot: ${snapshots.length} written before the crash; --heap-prof: ${crashProfiles.length} after OOM, ${normalProfiles.length} after a normal exit`,
  );
} finally {
  removeScratch(dir);
}

