/**
 * What an allocation-sampling profile shows. V8's sampling heap profiler (behind --heap-prof and
 * DevTools' "Allocation sampling") records a sample of allocations and, by default, drops the
 * samples of objects that the GC has since collected. So a profile shows where the memory that is
 * *still alive* was allocated: a workload that allocates ten times more garbage in churn() than it
 * keeps in remember() shows remember() and nearly nothing of churn(). Asked to keep collected
 * objects too (the inspector's includeObjectsCollectedBy... options), the same profile is dominated
 * by churn().
 *
 * --heap-prof writes its file when the process exits through Node: at the natural end, on
 * process.exit(), or from a signal handler that exits. A signal with no handler (the default action
 * of SIGTERM) ends the process without a file, as an out-of-memory crash does (oom-diagnostics).
 * Finally the cost: the same workload timed with no profiler, with sampling, and with the allocation
 * timeline (allocation tracking), which records every allocation.
 *
 *   node --import tsx scripts/experiments/heap-prof-sampling.ts
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './lib/harness.ts';
import { churn, forget, remember } from './lib/allocation-workload.ts';
import { removeScratch, scratchDir } from './lib/output-dir.ts';

const WORKLOAD = fileURLToPath(new URL('./lib/allocation-workload.ts', import.meta.url));
const ENDINGS = ['natural', 'exit', 'handler', 'nohandler'] as const;

interface ProfileNode {
  callFrame: { functionName: string };
  selfSize: number;
  children: ProfileNode[];
}

/** MB (10^6 bytes, one decimal) a sampling profile attributes to each of the workload's functions. */
function megabytesBy(head: ProfileNode): { churn: number; remember: number } {
  const bytes = new Map<string, number>();
  const walk = (node: ProfileNode) => {
    bytes.set(node.callFrame.functionName, (bytes.get(node.callFrame.functionName) ?? 0) + node.selfSize);
    node.children.forEach(walk);
  };
  walk(head);
  const mb = (name: string) => Math.round((bytes.get(name) ?? 0) / 1e5) / 10;
  return { churn: mb('churn'), remember: mb('remember') };
}

/** Bytes between samples, on average, in both profiles. */
const SAMPLING_INTERVAL = 32 * 1024;

/** Run the workload with --heap-prof, end it the given way, and read the profile it left (if any). */
async function heapProfWith(ending: (typeof ENDINGS)[number], dir: string) {
  mkdirSync(dir);
  // The same 32 KiB interval as in-process: --heap-prof's default (512 KiB) takes ~40 samples of
  // remember()'s 20 MB, and one CI run on Node 24 read 9.9 MB from them.
  const child = spawn(process.execPath, ['--heap-prof', `--heap-prof-interval=${SAMPLING_INTERVAL}`, `--heap-prof-dir=${dir}`, '--import', 'tsx', WORKLOAD, ending], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  if (ending === 'handler' || ending === 'nohandler') {
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()));
    child.kill('SIGTERM');
  }
  const { code, signal } = await ended;
  const files = readdirSync(dir).filter((name) => name.endsWith('.heapprofile'));
  const profile = files[0] ? (JSON.parse(readFileSync(join(dir, files[0]), 'utf8')) as { head: ProfileNode }) : null;
  return { exit: signal ?? code, profilesWritten: files.length, megabytes: profile ? megabytesBy(profile.head) : null };
}

/** The same workload under the in-process sampling profiler, with or without collected objects. */
async function sampleInProcess(session: Session, keepCollected: boolean) {
  forget();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: SAMPLING_INTERVAL,
    includeObjectsCollectedByMajorGC: keepCollected,
    includeObjectsCollectedByMinorGC: keepCollected,
  });
  churn();
  remember();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  return megabytesBy(profile.head as ProfileNode);
}

/** A tenth of the workload: enough to time, and allocation tracking stays within a few seconds. */
const TIMED_SHARE = 10;

/** Milliseconds a tenth of the workload takes under `profiler` (none, sampling or allocation tracking). */
async function timeUnder(session: Session, profiler: 'none' | 'sampling' | 'tracking'): Promise<number> {
  forget();
  if (profiler === 'sampling') await session.post('HeapProfiler.startSampling');
  if (profiler === 'tracking') await session.post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true });
  const started = performance.now();
  churn(2_000_000 / TIMED_SHARE);
  remember(200_000 / TIMED_SHARE);
  const ms = performance.now() - started;
  if (profiler === 'sampling') await session.post('HeapProfiler.stopSampling');
  if (profiler === 'tracking') await session.post('HeapProfiler.stopTrackingHeapObjects', { reportProgress: false });
  return Math.round(ms);
}

const dir = scratchDir('heap-prof-sampling');
try {
  const heapProf: Record<string, unknown> = {};
  for (const ending of ENDINGS) heapProf[ending] = await heapProfWith(ending, join(dir, ending));

  const session = new Session();
  session.connect();
  const liveOnly = await sampleInProcess(session, false);
  const withCollected = await sampleInProcess(session, true);
  await timeUnder(session, 'none'); // warm-up: the first run compiles the workload
  const timing = { noneMs: await timeUnder(session, 'none'), samplingMs: await timeUnder(session, 'sampling'), trackingMs: await timeUnder(session, 'tracking') };
  session.disconnect();

  report(
    {
      heapProfByEnding: heapProf,
      inProcessSampling: { liveOnly, withCollected },
      timing: { ...timing, trackingOverSampling: Math.round((timing.trackingMs / Math.max(1, timing.samplingMs)) * 10) / 10 },
    },
    `sampling keeps the live: churn ${liveOnly.churn} MB, remember ${liveOnly.remember} MB (with collected objects: churn ${withCollected.churn} MB); ` +
      `--heap-prof files: ${ENDINGS.map((ending) => `${ending} ${(heapProf[ending] as { profilesWritten: number }).profilesWritten}`).join(', ')}; ` +
      `workload ${timing.noneMs} ms, sampling ${timing.samplingMs} ms, tracking ${timing.trackingMs} ms`,
  );
} finally {
  removeScratch(dir);
}
