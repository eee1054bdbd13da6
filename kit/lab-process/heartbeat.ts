/**
 * Is the lab's event loop still turning? The heartbeat pings the probe every half second, and any
 * message from the probe counts as an answer. Silence longer than `blockedAfterMs` means the loop
 * is blocked (a synchronous loop in the learner's code): `onBlocked` is called once and the
 * heartbeat stops.
 *
 * Writing a heap snapshot blocks the loop on purpose, for seconds (the snapshot-cost experiment):
 * the caller pauses the heartbeat around it, and silence is counted afresh from the resume.
 */

export interface HeartbeatOptions {
  /** Silence after which the event loop counts as blocked. */
  blockedAfterMs: number;
  /** Time between pings (default 500 ms). */
  intervalMs?: number;
  /** Ask the probe for an answer; its reply reaches `answered()` through the message handler. */
  ping: () => void;
  /** Called once, when the silence grew longer than blockedAfterMs while not paused. */
  onBlocked: () => void;
  /** The clock silence is measured with (default Date.now; the heartbeat's tests drive their own). */
  now?: () => number;
}

export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private lastAnswerAt: number;
  /** Pauses not yet resumed (a count, so two overlapping pauses need two resumes). */
  private pauses = 0;
  private readonly now: () => number;

  constructor(private readonly options: HeartbeatOptions) {
    this.now = options.now ?? Date.now;
    this.lastAnswerAt = this.now();
  }

  start(): void {
    if (this.timer) return;
    this.lastAnswerAt = this.now();
    this.timer = setInterval(() => this.beat(), this.options.intervalMs ?? 500);
    // The heartbeat watches a process; it must not be what keeps this one alive.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The probe said something: the loop is turning. */
  answered(): void {
    this.lastAnswerAt = this.now();
  }

  /** Stop judging silence (the lab is busy on purpose) until resume(). Pings go on. */
  pause(): void {
    this.pauses += 1;
  }

  /** Judge silence again, counted from now. */
  resume(): void {
    this.pauses = Math.max(0, this.pauses - 1);
    if (this.pauses === 0) this.lastAnswerAt = this.now();
  }

  private beat(): void {
    if (this.pauses === 0 && this.now() - this.lastAnswerAt > this.options.blockedAfterMs) {
      this.stop();
      this.options.onBlocked();
      return;
    }
    this.options.ping();
  }
}
