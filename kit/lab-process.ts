/**
 * Start a lab server as a child process the way the checker and the hub need it: a free loopback
 * port, a capped heap, `--expose-gc`, the probe loaded beside the learner's code, and an IPC channel
 * to ask it for samples. Every way the learner's file can fail (does not compile, throws, never
 * listens, crashes, blocks its event loop) becomes a LabError naming the file, within a bounded time.
 *
 * No orphans: each child gets its own process group, which is killed on every exit path of this
 * process (normal exit, Ctrl-C, SIGTERM, an uncaught exception); and the probe exits by itself if
 * this process dies without warning (the IPC channel closes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LabError } from './errors.ts';
import type { ProbeMessage, ProbeRequest } from './probe.ts';
import type { GcEvent, ProbeSample } from './types.ts';

const KIT_DIR = path.dirname(fileURLToPath(import.meta.url));
const PROJECT_ROOT = path.resolve(KIT_DIR, '..');
const PROBE_URL = pathToFileURL(path.join(KIT_DIR, 'probe.ts')).href;
// Absolute, so the child finds tsx whatever its working directory and wherever the entry lives.
const TSX_URL = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** V8 flags that quieten JIT-code noise in post-GC samples; leaks are unchanged. */
export const QUIET_JIT_FLAGS = ['--no-opt', '--no-maglev', '--no-sparkplug', '--no-flush-bytecode'] as const;

export interface StartLabOptions {
  /** Absolute path of the server file to run. */
  entry: string;
  /** Extra environment (LEAKLAB_* tunables); HOST=127.0.0.1 is always set. */
  env?: Record<string, string>;
  /** The port to ask for (default 0: any free port; `leaklab run --port 3000` asks for a fixed one). */
  port?: number;
  /** --max-old-space-size in MB (default 256): a leak ends in a clear out-of-memory, not a swapping machine. */
  heapMb?: number;
  /** Add QUIET_JIT_FLAGS (the checker does; a hand-run lab does not). */
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

export type ExitReason = 'stopped' | 'exited' | 'crashed' | 'out of memory' | 'killed' | 'blocked';

/** How and why a lab process ended. */
export interface LabExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  reason: ExitReason;
}

interface LabProcessEvents {
  /** The server listens on this port (emitted once). */
  listening: [number];
  gc: [GcEvent];
  exit: [LabExit];
  /** The child stopped being usable (crash, out of memory, blocked loop): the error to show. */
  failure: [LabError];
}

/** A running lab server. */
export interface LabProcess extends EventEmitter<LabProcessEvents> {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly entry: string;
  /** Set once the child stopped being usable; every later request rejects with it. */
  readonly failed: LabError | undefined;
  /** Resolves with the error as soon as the child stops being usable (never rejects). */
  readonly failure: Promise<LabError>;
  /** Memory, resources and gauges now; with gc, after a settle and forced full GCs. */
  sample(gc: boolean, options?: { gcCount?: number; settleMs?: number; timeoutMs?: number }): Promise<ProbeSample>;
  /** Write a heap snapshot (synchronous in the child: it pauses the server) and return its path. */
  writeSnapshot(filePath: string, timeoutMs?: number): Promise<string>;
  observeGc(on: boolean): Promise<void>;
  /** Kill the child's process group and wait until it is gone. Safe to call twice. */
  stop(): Promise<LabExit>;
  stdoutTail(): string;
  stderrTail(): string;
}

// ---------------------------------------------------------------------------------------------
// The orphan guard: every live child, killed on any way out of this process.

const liveGroups = new Set<number>();
let guardInstalled = false;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function killAllLabs(): void {
  for (const pid of liveGroups) killGroup(pid);
  liveGroups.clear();
}

const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

function installOrphanGuard(): void {
  if (guardInstalled) return;
  guardInstalled = true;
  process.on('exit', killAllLabs);
  // A monitor sees the exception without changing what happens next (the process still dies).
  process.on('uncaughtExceptionMonitor', killAllLabs);
  for (const [signal, exitCode] of Object.entries(SIGNAL_EXIT) as [NodeJS.Signals, number][]) {
    const onSignal = () => {
      killAllLabs();
      // Listening to a signal replaces Node's default "die": keep that default unless someone else
      // (the CLI's `run`, the hub) listens too and will exit in its own way.
      if (process.listenerCount(signal) === 1) process.exit(exitCode);
    };
    process.on(signal, onSignal);
  }
}

/** Kill every lab process this process started (for shutdown paths the guard cannot see). */
export function stopAllLabs(): void {
  killAllLabs();
}

// ---------------------------------------------------------------------------------------------
// Reading the child's stderr for the learner.

const OUT_OF_MEMORY_PATTERN = /Reached heap limit|heap out of memory|Ineffective mark-compacts near heap limit/;
const COMPILE_PATTERN = /Transform failed with|TransformError|ERR_INVALID_TYPESCRIPT_SYNTAX/;

/** The few stderr lines that tell what went wrong: the error message and the learner's frame. */
export function summariseStderr(stderr: string, entry: string): string {
  const lines = stderr.split('\n').map((line) => line.trimEnd());
  const picked: string[] = [];
  const entryBase = path.basename(entry);
  for (const line of lines) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const isErrorLine = /^(\w*Error|Error)\b.*:|ERROR:|^\w+Error$|Uncaught/.test(trimmed);
    const isUserFrame =
      trimmed.startsWith('at ') && trimmed.includes(entryBase) && !trimmed.includes('node_modules');
    const isLocationHeader = trimmed.startsWith(entry) || trimmed.startsWith(`file://${entry}`);
    if (isErrorLine || isLocationHeader || (isUserFrame && !picked.some((p) => p.startsWith('at ')))) {
      if (!picked.includes(trimmed)) picked.push(trimmed);
    }
    if (picked.length >= 6) break;
  }
  if (picked.length === 0) return lines.filter(Boolean).slice(-4).join('\n');
  return picked.join('\n');
}

function tail(text: string, max = 16_384): string {
  return text.length > max ? text.slice(text.length - max) : text;
}

// ---------------------------------------------------------------------------------------------

class RunningLab extends EventEmitter<LabProcessEvents> implements LabProcess {
  url = '';
  port = 0;
  readonly pid: number;
  readonly entry: string;
  failed: LabError | undefined;
  readonly failure: Promise<LabError>;

  private readonly child: ChildProcess;
  /** Who failed, for every LabError: the file and the lab's name. */
  private readonly who: { file: string; lab?: string };
  private readonly blockedAfterMs: number;
  private stdout = '';
  private stderr = '';
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: LabError) => void; timer: NodeJS.Timeout }>();
  private listening = false;
  private stopping = false;
  private exitInfo: LabExit | undefined;
  private readonly exited: Promise<LabExit>;
  private heartbeat: NodeJS.Timeout | undefined;
  private lastAnswerAt = Date.now();
  private resolveFailure!: (error: LabError) => void;

  constructor(child: ChildProcess, entry: string, displayName: string, blockedAfterMs: number, labName?: string) {
    super();
    this.who = { file: displayName, lab: labName };
    this.child = child;
    this.pid = child.pid ?? -1;
    this.entry = entry;
    this.blockedAfterMs = blockedAfterMs;
    this.failure = new Promise((resolve) => (this.resolveFailure = resolve));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout = tail(this.stdout + chunk)));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr = tail(this.stderr + chunk)));
    child.on('message', (message: ProbeMessage) => this.onMessage(message));
    // A failed send or kill on a child that just died: 'close' below reports the real story, and an
    // unhandled 'error' would otherwise take the checker (or the hub) down with it.
    child.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      // 'close' rather than 'exit': by then stderr is fully read, so an out-of-memory is recognised.
      child.once('close', (code, signal) => {
        liveGroups.delete(this.pid);
        this.stopHeartbeat();
        const reason: ExitReason = this.stopping
          ? 'stopped'
          : this.failed?.code === 'EVENT_LOOP_BLOCKED'
            ? 'blocked'
          : OUT_OF_MEMORY_PATTERN.test(this.stderr)
            ? 'out of memory'
            : signal
              ? 'killed'
              : code === 0
                ? 'exited'
                : 'crashed';
        this.exitInfo = { code, signal, reason };
        if (!this.stopping) this.fail(this.classifyExit(this.exitInfo));
        for (const { reject, timer } of this.pending.values()) {
          clearTimeout(timer);
          reject(this.failed ?? new LabError('CANCELLED', { ...this.who, detail: 'the lab was stopped' }));
        }
        this.pending.clear();
        this.emit('exit', this.exitInfo);
        resolve(this.exitInfo);
      });
    });
  }

  /** Wait for 'listening', or turn what happened instead into a LabError. */
  async waitUntilListening(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.listening) return;
    await new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        this.off('listening', onListening);
        signal?.removeEventListener('abort', onAbort);
      };
      const onListening = () => {
        cleanup();
        resolve();
      };
      const onAbort = () => {
        cleanup();
        reject(new LabError('CANCELLED', { ...this.who }));
      };
      const timer = setTimeout(async () => {
        // Still running but no port: is the event loop stuck, or did the file simply never listen?
        const answered = await this.request({ cmd: 'ping' }, 1500).then(
          () => true,
          () => false,
        );
        if (this.listening) return; // it made it while we asked
        cleanup();
        reject(
          answered
            ? new LabError('NEVER_LISTENED', { ...this.who, seconds: Math.round(timeoutMs / 1000) })
            : new LabError('EVENT_LOOP_BLOCKED', {
                ...this.who,
                seconds: Math.round(timeoutMs / 1000),
                detail: 'while starting, before it listened',
              }),
        );
      }, timeoutMs);
      this.on('listening', onListening);
      signal?.addEventListener('abort', onAbort, { once: true });
      void this.failure.then((error) => {
        cleanup();
        reject(error);
      });
    });
    this.startHeartbeat();
  }

  private onMessage(message: ProbeMessage): void {
    // Max, not assignment: writeSnapshot pushes lastAnswerAt into the future to grant the child its
    // seconds of blocking; a reply that was already queued must not take that grace away.
    this.lastAnswerAt = Math.max(this.lastAnswerAt, Date.now());
    switch (message.type) {
      case 'listening':
        this.port = message.port;
        this.url = `http://127.0.0.1:${message.port}`;
        this.listening = true;
        this.emit('listening', message.port);
        break;
      case 'gc':
        this.emit('gc', message.event);
        break;
      case 'reply': {
        const waiting = this.pending.get(message.id);
        if (!waiting) break;
        this.pending.delete(message.id);
        clearTimeout(waiting.timer);
        if (message.ok) waiting.resolve(message.result);
        else waiting.reject(new LabError('PROBE_TIMEOUT', { ...this.who, detail: message.error }));
        break;
      }
    }
  }

  /** A ping every 500 ms; silence longer than blockedAfterMs means the event loop is blocked. */
  private startHeartbeat(): void {
    this.lastAnswerAt = Date.now();
    this.heartbeat = setInterval(() => {
      if (this.failed || this.stopping) return this.stopHeartbeat();
      if (Date.now() - this.lastAnswerAt > this.blockedAfterMs) {
        const error = new LabError('EVENT_LOOP_BLOCKED', {
          ...this.who,
          seconds: Math.round(this.blockedAfterMs / 100) / 10,
          detail: 'while handling requests',
        });
        this.fail(error);
        // A blocked process cannot be reasoned with: stop it now so nothing waits on it.
        killGroup(this.pid);
        return;
      }
      this.request({ cmd: 'ping' }, this.blockedAfterMs * 2).catch(() => undefined);
    }, 500);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private fail(error: LabError): void {
    if (this.failed) return;
    this.failed = error;
    this.resolveFailure(error);
    this.emit('failure', error);
  }

  private classifyExit(exit: LabExit): LabError {
    const { file, lab } = this.who;
    const excerpt = summariseStderr(this.stderr, this.entry);
    const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    if (exit.reason === 'out of memory') return new LabError('OUT_OF_MEMORY', { file, lab, excerpt });
    if (!this.listening) {
      if (COMPILE_PATTERN.test(this.stderr)) return new LabError('COMPILE_FAILED', { file, lab, excerpt });
      if (exit.code === 0) return new LabError('EXITED_BEFORE_LISTENING', { file, lab, detail: how });
      return new LabError('THREW_AT_START', { file, lab, excerpt, detail: how });
    }
    return new LabError('CRASHED', { file, lab, excerpt, detail: how });
  }

  private request<T>(body: DistributiveOmit<ProbeRequest, 'id'>, timeoutMs: number): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.exitInfo || !this.child.connected) {
      return Promise.reject(new LabError('CANCELLED', { ...this.who, detail: 'the lab is not running' }));
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new LabError('PROBE_TIMEOUT', { ...this.who, seconds: Math.round(timeoutMs / 100) / 10, detail: body.cmd }));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ ...body, id } as ProbeRequest, (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.pending.delete(id);
        reject(this.failed ?? new LabError('CANCELLED', { ...this.who, detail: 'the lab is not running' }));
      });
    });
  }

  sample(gc: boolean, options: { gcCount?: number; settleMs?: number; timeoutMs?: number } = {}): Promise<ProbeSample> {
    return this.request<ProbeSample>({ cmd: 'sample', gc, gcCount: options.gcCount, settleMs: options.settleMs }, options.timeoutMs ?? 15_000);
  }

  writeSnapshot(filePath: string, timeoutMs = 120_000): Promise<string> {
    // The child is busy for seconds while writing (the snapshot-cost experiment): do not call that a blocked loop.
    this.lastAnswerAt = Date.now() + timeoutMs;
    return this.request<string>({ cmd: 'snapshot', path: filePath }, timeoutMs).finally(() => {
      this.lastAnswerAt = Date.now();
    });
  }

  async observeGc(on: boolean): Promise<void> {
    await this.request({ cmd: 'observe-gc', on }, 5000);
  }

  async stop(): Promise<LabExit> {
    if (this.exitInfo) return this.exitInfo;
    this.stopping = true;
    this.stopHeartbeat();
    killGroup(this.pid);
    return this.exited;
  }

  stdoutTail(): string {
    return this.stdout;
  }

  stderrTail(): string {
    return this.stderr;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Start the server file as a probed child process and wait until it listens. */
export async function startLab(options: StartLabOptions): Promise<LabProcess> {
  const entry = path.resolve(options.entry);
  const displayName = options.displayName ?? displayPath(entry);
  const who = { file: displayName, lab: options.labName };
  if (!existsSync(entry)) throw new LabError('ENTRY_NOT_FOUND', { ...who });
  if (options.signal?.aborted) throw new LabError('CANCELLED', { ...who });
  installOrphanGuard();

  const nodeArgs = [
    '--import',
    TSX_URL,
    '--import',
    PROBE_URL,
    '--expose-gc',
    `--max-old-space-size=${options.heapMb ?? 256}`,
    ...(options.quiet ? QUIET_JIT_FLAGS : []),
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
  liveGroups.add(child.pid);

  const lab = new RunningLab(child, entry, displayName, options.blockedAfterMs ?? 4000, options.labName);
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

export { PROJECT_ROOT };
