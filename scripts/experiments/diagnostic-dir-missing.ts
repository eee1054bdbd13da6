/**
 * What happens when --diagnostic-dir names a folder that does not exist (a fresh clone, a volume
 * that was not mounted). Node does not create it. A server started with --heapsnapshot-signal
 * gets the signal: writing the snapshot fails with ENOENT, and the error is not caught anywhere, so
 * the server dies. A leaking process started with --heapsnapshot-near-heap-limit reaches its limit:
 * Node fails an internal assertion instead of writing the snapshot, so there is no snapshot and not
 * even the usual "JavaScript heap out of memory" line. Both leave nothing in the folder or in the
 * working directory. Create the folder before the process starts.
 *
 *   node --import tsx scripts/experiments/diagnostic-dir-missing.ts
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './lib/harness.ts';
import { runNode } from './lib/node-child.ts';
import { removeScratch, scratchDir } from './lib/output-dir.ts';
import { startTarget } from './lib/signal-snapshots.ts';

const leakingSubject = fileURLToPath(new URL('./lib/grow-until-oom.ts', import.meta.url));
// "--import tsx" resolves from the working directory: give tsx's own URL so any cwd works.
const tsx = import.meta.resolve('tsx');

/** Every .heapsnapshot under `dir`, at any depth. */
function snapshotsUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.heapsnapshot'));
}

const dir = scratchDir('diagnostic-dir-missing');
try {
  const missing = join(dir, 'not-created');

  // 1. --heapsnapshot-signal: the signal arrives, the write fails, the server goes down.
  const signalCwd = join(dir, 'signal-cwd');
  mkdirSync(signalCwd);
  const server = await startTarget(['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${missing}`], undefined, signalCwd);
  let stderr = '';
  server.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  server.child.kill('SIGUSR2');
  const ended = await Promise.race([server.ended, new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000))]);
  if (ended === null) server.child.kill('SIGKILL');

  // 2. --heapsnapshot-near-heap-limit: the leaking process reaches its limit.
  const crashCwd = join(dir, 'crash-cwd');
  mkdirSync(crashCwd);
  const crash = await runNode(
    ['--max-old-space-size=64', '--heapsnapshot-near-heap-limit=1', `--diagnostic-dir=${missing}`, '--import', tsx, leakingSubject],
    { cwd: crashCwd, timeoutMs: 120_000 },
  );

  report(
    {
      signal: {
        serverEnded: ended !== null,
        exitCode: ended?.code ?? null,
        error: /Error: (ENOENT[^\n]*?),/.exec(stderr)?.[1]?.replace(missing, '<dir>') ?? null,
      },
      nearHeapLimit: {
        exit: crash.signal ?? crash.code,
        assertionFailed: /Assertion failed/.test(crash.stderr),
        firstLine: crash.stderr.split('\n').find((line) => /Assertion failed|FATAL ERROR/.test(line))?.trim() ?? null,
        heapOutOfMemoryLine: /JavaScript heap out of memory/.test(crash.stderr),
      },
      snapshotsWritten: snapshotsUnder(dir).length,
      folderCreated: readdirSync(dir).includes('not-created'),
    },
    `missing --diagnostic-dir: on a signal the server ${ended ? `died (exit ${ended.code})` : 'kept running'}; near the limit: ` +
      `${crash.signal ?? crash.code}, assertion ${/Assertion failed/.test(crash.stderr)}; snapshots anywhere: ${snapshotsUnder(dir).length}`,
  );
} finally {
  removeScratch(dir);
}
