/**
 * Start a lab server as a child process the way the checker and the hub need it: a free loopback
 * port, a capped heap, `--expose-gc`, the probe loaded beside the learner's code, and an IPC channel
 * to ask it for samples. Every way the learner's file can fail (does not compile, throws, never
 * listens, crashes, blocks its event loop) becomes a LabError naming the file, within a bounded time.
 *
 * The parts, one job each, are in kit/lab-process/:
 *   running-lab.ts    one process from spawn to exit: listening, requests, how it ended
 *   probe-channel.ts  request and reply over IPC, with a LabError for each way it goes wrong
 *   heartbeat.ts      is the event loop still turning (paused while a snapshot blocks it)
 *   orphan-guard.ts   no lab outlives this process, whichever way this process ends
 *   stderr.ts         what the child's stderr says went wrong
 *   jit-flags.ts      the quiet JIT flags, as far as this Node binary accepts them
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LabError } from './errors.ts';
import { quietJitFlags } from './lab-process/jit-flags.ts';
import { orphanGuard } from './lab-process/orphan-guard.ts';
import { RunningLab, type LabProcess } from './lab-process/running-lab.ts';

export { QUIET_JIT_FLAGS, quietJitFlags } from './lab-process/jit-flags.ts';
export { stopAllLabs } from './lab-process/orphan-guard.ts';
export type { ExitReason, LabExit, LabProcess } from './lab-process/running-lab.ts';
export { summariseStderr } from './lab-process/stderr.ts';

const KIT_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = path.resolve(KIT_DIR, '..');
const PROBE_URL = pathToFileURL(path.join(KIT_DIR, 'probe.ts')).href;
// Absolute, so the child finds tsx whatever its working directory and wherever the entry lives.
const TSX_URL = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface StartLabOptions {
  /** Absolute path of the server file to run. */
  entry: string;
  /** Extra environment (LEAKLAB_* tunables); HOST=127.0.0.1 is always set. */
  env?: Record<string, string>;
  /** The port to ask for (default 0: any free port; `npx leaklab run 01 --port 3000` asks for a fixed one). */
  port?: number;
  /** --max-old-space-size in MB (default 256): a leak ends in a clear out-of-memory, not a swapping machine. */
  heapMb?: number;
  /** Add the quiet JIT flags this Node accepts (the checker does; a hand-run lab does not). */
  quiet?: boolean;
  /**
   * More Node flags, placed before the entry, e.g. lab 07's post-mortem run:
   * ['--heapsnapshot-near-heap-limit=1', '--diagnostic-dir=output/snapshots/07'] (see the oom-diagnostics experiment).
   */
  nodeFlags?: readonly string[];
  /** Push GC events ('gc') from the start. */
  observeGc?: boolean;
  /** How long to wait for the server to listen (default 10 s). */
  listenTimeoutMs?: number;
  /** Silence in the heartbeat after which the event loop counts as blocked (default 4 s: a loaded machine can delay a healthy answer by a second or two). */
  blockedAfterMs?: number;
  /** Abort while starting: the child is killed and startLab rejects with CANCELLED. */
  signal?: AbortSignal;
  /** Working directory of the child (default: the project root). */
  cwd?: string;
  /** How the file is named in messages (default: relative to the project root). */
  displayName?: string;
  /** The lab as the learner names it ('01'), so messages suggest the exact command to run. */
  labName?: string;
}

/** Start the server file as a probed child process and wait until it listens. */
export async function startLab(options: StartLabOptions): Promise<LabProcess> {
  const entry = path.resolve(options.entry);
  const who = { file: options.displayName ?? displayPath(entry), lab: options.labName };
  if (!existsSync(entry)) throw new LabError('ENTRY_NOT_FOUND', { ...who });
  // Asked of the Node binary once per process (a fraction of a second the first time).
  const jitFlags = options.quiet ? await quietJitFlags() : [];
  if (options.signal?.aborted) throw new LabError('CANCELLED', { ...who });

  const nodeArgs = [
    '--import',
    TSX_URL,
    '--import',
    PROBE_URL,
    '--expose-gc',
    `--max-old-space-size=${options.heapMb ?? 256}`,
    ...jitFlags,
    ...(options.nodeFlags ?? []),
    entry,
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, PORT: String(options.port ?? 0), HOST: '127.0.0.1' };
  // A lab started from inside `node --test` must not think it is a test file itself.
  delete env.NODE_TEST_CONTEXT;

  const child = spawn(process.execPath, nodeArgs, {
    cwd: options.cwd ?? PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Its own process group, so one kill reaches anything the learner's code spawned, and a Ctrl-C
    // in the terminal reaches only us: we decide how the child ends.
    detached: true,
  });
  if (child.pid === undefined) {
    throw new LabError('THREW_AT_START', { ...who, detail: 'node could not be started' });
  }
  orphanGuard.adopt(child.pid);

  const lab = new RunningLab(child, { entry, who, blockedAfterMs: options.blockedAfterMs ?? 4000 });
  try {
    await lab.waitUntilListening(options.listenTimeoutMs ?? 10_000, options.signal);
    if (options.observeGc) await lab.observeGc(true);
    return lab;
  } catch (error) {
    await lab.stop();
    throw error;
  }
}

/** A path as a learner reads it: relative to the project when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(PROJECT_ROOT, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
