/**
 * One running lab process, from spawn to exit: it waits for the server to listen, answers samples
 * and snapshots through the probe channel, watches the event loop with a heartbeat, and turns the
 * way the process ended into a LabError naming the file (startLab in kit/lab-process.ts builds it).
 */
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { LabError } from '../errors.ts';
import type { ProbeMessage } from '../probe.ts';
import type { GcEvent, ProbeSample } from '../types.ts';
import { Heartbeat } from './heartbeat.ts';
import { killGroup, orphanGuard } from './orphan-guard.ts';
import { ProbeChannel } from './probe-channel.ts';
import { keepTail, saysCompileFailed, saysOutOfMemory, summariseStderr } from './stderr.ts';

export type ExitReason = 'stopped' | 'exited' | 'crashed' | 'out of memory' | 'killed' | 'blocked';

/** How and why a lab process ended. */
export interface LabExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  reason: ExitReason;
}

export interface LabProcessEvents {
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

export interface RunningLabOptions {
  /** Absolute path of the server file. */
  entry: string;
  /** Who failed, for every LabError: the file as the learner reads it, and the lab's name. */
  who: { file: string; lab?: string };
  /** Silence in the heartbeat after which the event loop counts as blocked. */
  blockedAfterMs: number;
}

/** How long a lab that never listened gets to answer a ping, to tell "never listens" from "blocked". */
const STILL_ALIVE_PING_MS = 1500;

export class RunningLab extends EventEmitter<LabProcessEvents> implements LabProcess {
  url = '';
  port = 0;
  readonly pid: number;
  readonly entry: string;
  failed: LabError | undefined;
  readonly failure: Promise<LabError>;

  private readonly who: { file: string; lab?: string };
  private readonly probe: ProbeChannel;
  private readonly heartbeat: Heartbeat;
  private stdout = '';
  private stderr = '';
  private listening = false;
  private stopping = false;
  private exitInfo: LabExit | undefined;
  private readonly exited: Promise<LabExit>;
  private resolveFailure!: (error: LabError) => void;

  constructor(child: ChildProcess, options: RunningLabOptions) {
    super();
    this.pid = child.pid ?? -1;
    this.entry = options.entry;
    this.who = options.who;
    this.failure = new Promise((resolve) => (this.resolveFailure = resolve));
    this.probe = new ProbeChannel(child, this.who, () => this.failed);
    this.heartbeat = new Heartbeat({
      blockedAfterMs: options.blockedAfterMs,
      ping: () => void this.probe.request({ cmd: 'ping' }, options.blockedAfterMs * 2).catch(() => undefined),
      onBlocked: () => {
        this.fail(
          new LabError('EVENT_LOOP_BLOCKED', {
            ...this.who,
            seconds: Math.round(options.blockedAfterMs / 100) / 10,
            detail: 'while handling requests',
          }),
        );
        // A blocked process cannot be reasoned with: stop it now so nothing waits on it.
        killGroup(this.pid);
      },
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout = keepTail(this.stdout + chunk)));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr = keepTail(this.stderr + chunk)));
    child.on('message', (message: ProbeMessage) => this.onMessage(message));
    // A failed send or kill on a child that just died: 'close' below reports the real story, and an
    // unhandled 'error' would otherwise take the checker (or the hub) down with it.
    child.on('error', () => undefined);
    // 'close' rather than 'exit': by then stderr is fully read, so an out-of-memory is recognised.
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve(this.onClose(code, signal))));
  }

  /** Wait for 'listening', or turn what happened instead into a LabError. */
  async waitUntilListening(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (!this.listening) {
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
          const answered = await this.probe.request({ cmd: 'ping' }, STILL_ALIVE_PING_MS).then(
            () => true,
            () => false,
          );
          if (this.listening) return; // it made it while we asked
          cleanup();
          const seconds = Math.round(timeoutMs / 1000);
          reject(
            answered
              ? new LabError('NEVER_LISTENED', { ...this.who, seconds })
              : new LabError('EVENT_LOOP_BLOCKED', { ...this.who, seconds, detail: 'while starting, before it listened' }),
          );
        }, timeoutMs);
        this.on('listening', onListening);
        signal?.addEventListener('abort', onAbort, { once: true });
        void this.failure.then((error) => {
          cleanup();
          reject(error);
        });
      });
    }
    this.heartbeat.start();
  }

  sample(gc: boolean, options: { gcCount?: number; settleMs?: number; timeoutMs?: number } = {}): Promise<ProbeSample> {
    return this.probe.request<ProbeSample>({ cmd: 'sample', gc, gcCount: options.gcCount, settleMs: options.settleMs }, options.timeoutMs ?? 15_000);
  }

  async writeSnapshot(filePath: string, timeoutMs = 120_000): Promise<string> {
    // The child is busy for seconds while writing (the snapshot-cost experiment): do not call that a
    // blocked loop. The request's own timeout still bounds the wait.
    this.heartbeat.pause();
    try {
      return await this.probe.request<string>({ cmd: 'snapshot', path: filePath }, timeoutMs);
    } finally {
      this.heartbeat.resume();
    }
  }

  async observeGc(on: boolean): Promise<void> {
    await this.probe.request({ cmd: 'observe-gc', on }, 5000);
  }

  async stop(): Promise<LabExit> {
    if (this.exitInfo) return this.exitInfo;
    this.stopping = true;
    this.heartbeat.stop();
    killGroup(this.pid);
    return this.exited;
  }

  stdoutTail(): string {
    return this.stdout;
  }

  stderrTail(): string {
    return this.stderr;
  }

  private onMessage(message: ProbeMessage): void {
    this.heartbeat.answered();
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
      case 'reply':
        this.probe.settle(message);
        break;
    }
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null): LabExit {
    orphanGuard.release(this.pid);
    this.heartbeat.stop();
    this.exitInfo = { code, signal, reason: this.exitReason(code, signal) };
    if (!this.stopping) this.fail(this.classifyExit(this.exitInfo));
    this.probe.close(this.failed ?? new LabError('CANCELLED', { ...this.who, detail: 'the lab was stopped' }));
    this.emit('exit', this.exitInfo);
    return this.exitInfo;
  }

  private exitReason(code: number | null, signal: NodeJS.Signals | null): ExitReason {
    if (this.stopping) return 'stopped';
    if (this.failed?.code === 'EVENT_LOOP_BLOCKED') return 'blocked';
    if (saysOutOfMemory(this.stderr)) return 'out of memory';
    if (signal) return 'killed';
    return code === 0 ? 'exited' : 'crashed';
  }

  private fail(error: LabError): void {
    if (this.failed) return;
    this.failed = error;
    this.heartbeat.stop();
    this.resolveFailure(error);
    this.emit('failure', error);
  }

  /** What the learner is told about a process that ended by itself. */
  private classifyExit(exit: LabExit): LabError {
    const { file, lab } = this.who;
    const excerpt = summariseStderr(this.stderr, this.entry);
    const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    if (exit.reason === 'out of memory') return new LabError('OUT_OF_MEMORY', { file, lab, excerpt });
    if (!this.listening) {
      if (saysCompileFailed(this.stderr)) return new LabError('COMPILE_FAILED', { file, lab, excerpt });
      if (exit.code === 0) return new LabError('EXITED_BEFORE_LISTENING', { file, lab, detail: how });
      return new LabError('THREW_AT_START', { file, lab, excerpt, detail: how });
    }
    return new LabError('CRASHED', { file, lab, excerpt, detail: how });
  }
}
