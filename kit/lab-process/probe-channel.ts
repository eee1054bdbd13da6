/**
 * The parent's end of the probe's IPC channel: send a request, pair the reply with it by id, and
 * turn each way it can go wrong into a LabError: no reply in time (PROBE_TIMEOUT), a reply that is
 * an error (PROBE_FAILED, with the probe's message), a channel that is gone (CANCELLED, or the
 * lab's own failure when it has one).
 */
import type { ChildProcess } from 'node:child_process';
import { LabError, type LabErrorContext } from '../errors.ts';
import type { ProbeMessage, ProbeRequest } from '../probe.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A request as the caller writes it; the channel adds the id. */
export type ProbeCommand = DistributiveOmit<ProbeRequest, 'id'>;

/** A reply from the probe (the other messages it sends are pushed events). */
export type ProbeReply = Extract<ProbeMessage, { type: 'reply' }>;

/** What each request asks of the probe, as a PROBE_FAILED message says it ("could not …"). */
const WHAT_IT_ASKS: Record<ProbeCommand['cmd'], string> = {
  ping: 'answer a ping',
  sample: 'take a memory sample',
  snapshot: 'write a heap snapshot',
  'observe-gc': 'watch GC events',
};

interface Waiting {
  cmd: ProbeCommand['cmd'];
  resolve: (result: unknown) => void;
  reject: (error: LabError) => void;
  timer: NodeJS.Timeout;
}

export class ProbeChannel {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private closed = false;

  /**
   * @param who the file and lab every LabError names
   * @param failure why the lab is unusable, once it is: every later request rejects with it
   */
  constructor(
    private readonly child: ChildProcess,
    private readonly who: Pick<LabErrorContext, 'file' | 'lab'>,
    private readonly failure: () => LabError | undefined,
  ) {}

  /** Send one request; resolves with the probe's result, or rejects with a LabError. */
  request<T>(command: ProbeCommand, timeoutMs: number): Promise<T> {
    const failed = this.failure();
    if (failed) return Promise.reject(failed);
    if (this.closed || !this.child.connected) return Promise.reject(this.notRunning());
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new LabError('PROBE_TIMEOUT', { ...this.who, seconds: Math.round(timeoutMs / 100) / 10, detail: command.cmd }));
      }, timeoutMs);
      this.waiting.set(id, { cmd: command.cmd, resolve: resolve as (result: unknown) => void, reject, timer });
      this.child.send({ ...command, id } as ProbeRequest, (error) => {
        if (!error) return;
        // The child died between our check and the send: its exit tells the real story.
        clearTimeout(timer);
        this.waiting.delete(id);
        reject(this.failure() ?? this.notRunning());
      });
    });
  }

  /** Settle the request a reply answers (a reply to a request that already timed out is dropped). */
  settle(reply: ProbeReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    clearTimeout(waiting.timer);
    if (reply.ok) waiting.resolve(reply.result);
    else waiting.reject(new LabError('PROBE_FAILED', { ...this.who, detail: `${WHAT_IT_ASKS[waiting.cmd]}: ${reply.error}` }));
  }

  /** The process ended: reject every request still waiting with `error`, and refuse new ones. */
  close(error: LabError): void {
    this.closed = true;
    for (const { reject, timer } of this.waiting.values()) {
      clearTimeout(timer);
      reject(error);
    }
    this.waiting.clear();
  }

  private notRunning(): LabError {
    return new LabError('CANCELLED', { ...this.who, detail: 'the lab is not running' });
  }
}
