/**
 * Which diagnostics survive an out-of-memory crash? --heapsnapshot-near-heap-limit=1 with
 * --diagnostic-dir writes a heap snapshot when the heap nears its limit, so the evidence is on disk
 * after the crash. To have room to write it, Node raises the heap limit first (by the young
 * generation plus half the old one) and, on the lines that keep the raised limit, a leaking process
 * goes on growing well past its --max-old-space-size before it dies: the experiment reads
 * heap_size_limit and heapUsed in the child to show how far. --heap-prof writes its profile only when
 * the process exits through Node: after an OOM crash its folder is empty. A control run that exits
 * normally shows --heap-prof does work.
 *
 *   node --import tsx scripts/experiments/oom-diagnostics.ts
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIB, report, toMiB } from './lib/harness.ts';
import { peakLines } from './lib/heap-numbers.ts';
import { runNode } from './lib/node-child.ts';
import { removeScratch, scratchDir } from './lib/output-dir.ts';

const CAP_MIB = 64;
const HEAP_CAP = `--max-old-space-size=${CAP_MIB}`;
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

  const withSnapshot = await runNode(
    [HEAP_CAP, '--heapsnapshot-near-heap-limit=1', `--diagnostic-dir=${snapshotDir}`, '--import', 'tsx', subject, 'peaks'],
    { timeoutMs: 170_000 },
  );
  const snapshots = filesEndingWith(snapshotDir, '.heapsnapshot');
  const peaks = peakLines(withSnapshot.stderr);
  const initialLimit = peaks[0]!.limit;
  // The first reading after Node raised the limit: the snapshot is written at about that moment.
  const raised = peaks.find((reading) => reading.limit > initialLimit);
  const last = peaks.at(-1)!;

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
        runMs: withSnapshot.durationMs,
        heapSizeLimitMiB: initialLimit / MIB,
        raisedLimitMiB: raised ? raised.limit / MIB : null,
        highestHeapUsedMiB: Math.round(last.heapUsed / MIB),
        highestHeapUsedOfCap: Math.round((last.heapUsed / MIB / CAP_MIB) * 10) / 10,
        // From the limit being raised to the crash: how long the process went on after the snapshot.
        msAfterRaise: raised ? withSnapshot.durationMs - raised.atMs : null,
      },
      heapProfOnOom: { exitSignal: withHeapProf.signal, profilesWritten: crashProfiles.length },
      heapProfOnNormalExit: { exitCode: normalExit.code, profilesWritten: normalProfiles.length },
    },
    `near-limit snapshot: ${snapshots.length} written before the crash, limit ${initialLimit / MIB} -> ${raised ? raised.limit / MIB : 'unchanged'} MiB, ` +
      `heapUsed up to ${Math.round(last.heapUsed / MIB)} MiB; --heap-prof: ${crashProfiles.length} after OOM, ${normalProfiles.length} after a normal exit`,
  );
} finally {
  removeScratch(dir);
}

