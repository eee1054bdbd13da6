/**
 * One running lab as the hub sees it: the learner's server or the reference solution of one lab,
 * started with the kit's startLab (probe, capped heap, own process group), sampled twice a second
 * WITHOUT forcing GC so the browser sees V8's normal sawtooth, with GC events forwarded as they
 * happen. When the process dies (a crash, out of memory, killed) the session keeps its history and
 * says why; start() brings it back.
 *
 * Everything it holds is bounded (a ring of recent samples and GC events), so a hub left running for
 * a day holds no more than one left running for a minute.
 */
import { startLab, type LabProcess } from '../kit/lab-process.ts';
import type { GcEvent, ProbeSample } from '../kit/types.ts';
import { nearLimitFlags, prepareNearLimitDir } from './near-limit.ts';
import type { SampleColumns, SessionHistory, SessionState, SessionStatus, Variant } from './protocol.ts';

export type { SessionState, SessionStatus, Variant } from './protocol.ts';

/** What the graph draws of a sample: kept for every sample in the history (the rest only for the newest). */
type ChartPoint = Pick<ProbeSample, 't' | 'afterGc' | 'heapUsed' | 'heapTotal' | 'external' | 'arrayBuffers' | 'rss'>;

const chartPoint = (s: ProbeSample): ChartPoint => ({
  t: s.t,
  afterGc: s.afterGc,
  heapUsed: s.heapUsed,
  heapTotal: s.heapTotal,
  external: s.external,
  arrayBuffers: s.arrayBuffers,
  rss: s.rss,
});

/** GC events a page gets when it joins: the newest few (the graph draws them as ticks). */
const GC_EVENTS_ON_JOIN = 100;

/** Events a session reports; the hub forwards them to the lab's socket.io room. */
export interface SessionEvents {
  state(state: SessionState): void;
  sample(payload: { lab: string; variant: Variant; sample: ProbeSample }): void;
  gc(payload: { lab: string; variant: Variant; events: GcEvent[] }): void;
}

export interface SessionOptions {
  lab: string;
  variant: Variant;
  /** Absolute path of the file to run. */
  entry: string;
  /** Project-relative, for messages. */
  file: string;
  events: SessionEvents;
  /** Milliseconds between samples (default 400: at least twice a second). */
  sampleEveryMs?: number;
  /** Heap cap of the lab in MB (default: the kit's 256). */
  heapMb?: number;
  /**
   * For a lab run until it dies (lab 07): the folder where V8 writes its snapshot near the heap
   * limit. Created and emptied before each start, and the flags that ask for the snapshot are added.
   */
  nearLimitDir?: string;
  /**
   * Silence after which the lab counts as blocked (default 20 s). A lab run until it dies needs
   * longer: V8 writes the near-limit snapshot inside the dying process, on a heap at its cap.
   */
  blockedAfterMs?: number;
  /** Extra environment for the lab (its LEAKLAB_* tunables). */
  env?: Record<string, string>;
  /** How many recent samples to keep for a page that joins late (default 300: two minutes). */
  historySize?: number;
}

/** A fixed-size ring: pushing past the size drops the oldest. */
export class Ring<T> {
  private items: T[] = [];
  constructor(readonly size: number) {}
  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.size) this.items.splice(0, this.items.length - this.size);
  }
  toArray(): T[] {
    return this.items.slice();
  }
  clear(): void {
    this.items = [];
  }
  get length(): number {
    return this.items.length;
  }
}

export class LabSession {
  readonly lab: string;
  readonly variant: Variant;
  private status: SessionStatus = 'stopped';
  private process: LabProcess | undefined;
  private reason: string | undefined;
  private exitReason: string | undefined;
  private sampler: NodeJS.Timeout | undefined;
  private sampling = false;
  private pendingGc: GcEvent[] = [];
  private starting: Promise<void> | undefined;
  private forcing: Promise<ProbeSample | undefined> | undefined;
  /** Recent samples as the graph needs them; the newest whole sample (gauges, heap spaces) beside. */
  readonly samples: Ring<ChartPoint>;
  private latest: ProbeSample | undefined;
  readonly gcEvents: Ring<GcEvent>;

  constructor(private readonly options: SessionOptions) {
    this.lab = options.lab;
    this.variant = options.variant;
    this.samples = new Ring(options.historySize ?? 300);
    this.gcEvents = new Ring(options.historySize ?? 300);
  }

  state(): SessionState {
    const running = this.status === 'running' ? this.process : undefined;
    return {
      lab: this.lab,
      variant: this.variant,
      status: this.status,
      file: this.options.file,
      ...(running ? { url: running.url, pid: running.pid } : {}),
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.exitReason ? { exitReason: this.exitReason } : {}),
    };
  }

  /** The running lab process, if any (load and snapshots need it). */
  running(): LabProcess | undefined {
    return this.status === 'running' ? this.process : undefined;
  }

  /** Start (or restart after a crash). Resolves when the server listens; a failure becomes state. */
  start(): Promise<void> {
    if (this.status === 'running') return Promise.resolve();
    this.starting ??= this.doStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async doStart(): Promise<void> {
    this.status = 'starting';
    this.reason = undefined;
    this.exitReason = undefined;
    this.publish();
    let child: LabProcess;
    try {
      if (this.options.nearLimitDir) await prepareNearLimitDir(this.options.nearLimitDir);
      child = await startLab({
        entry: this.options.entry,
        displayName: this.options.file,
        observeGc: true,
        // The kit calls a lab blocked after 4 s of silence. A heap snapshot of a busy lab can take
        // longer than that on a loaded machine (the snapshot-cost experiment), and a reply that lands just as the
        // snapshot starts resets the kit's allowance for it; the hub gives a lab 20 s instead.
        blockedAfterMs: this.options.blockedAfterMs ?? 20_000,
        ...(this.options.heapMb ? { heapMb: this.options.heapMb } : {}),
        ...(this.options.env ? { env: this.options.env } : {}),
        ...(this.options.nearLimitDir ? { nodeFlags: nearLimitFlags(this.options.nearLimitDir) } : {}),
      });
    } catch (error) {
      this.status = 'crashed';
      this.reason = (error as Error).message;
      this.exitReason = 'could not start';
      this.publish();
      return;
    }
    this.process = child;
    this.status = 'running';
    child.on('gc', (event) => {
      this.gcEvents.push(event);
      this.pendingGc.push(event);
      // A lab under load can scavenge hundreds of times a second: cap what waits for the next tick.
      if (this.pendingGc.length > 200) this.pendingGc.splice(0, this.pendingGc.length - 200);
    });
    child.once('failure', (error) => this.onFailure(child, error.message));
    child.once('exit', (exit) => {
      if (exit.reason !== 'stopped') this.onFailure(child, child.failed?.message ?? `the lab process ended (${exit.reason})`, exit.reason);
    });
    this.sampler = setInterval(() => void this.tick(), this.options.sampleEveryMs ?? 400);
    this.publish();
    void this.tick();
  }

  private onFailure(child: LabProcess, message: string, exitReason?: string): void {
    if (this.process !== child) return;
    this.stopSampler();
    this.status = 'crashed';
    this.reason = message;
    this.exitReason = exitReason ?? this.exitReason ?? (/out of memory/i.test(message) ? 'out of memory' : 'crashed');
    this.publish();
    // The process may still be alive (a blocked loop): make sure it is gone.
    void child.stop().then((exit) => {
      if (this.process === child && exit.reason !== 'stopped' && this.exitReason !== exit.reason) {
        this.exitReason = exit.reason;
        this.publish();
      }
    });
  }

  private async tick(): Promise<void> {
    const child = this.process;
    if (!child || this.status !== 'running' || this.sampling) return; // never pile up requests
    this.sampling = true;
    try {
      const sample = await child.sample(false, { timeoutMs: 5000 });
      if (this.process !== child) return;
      this.keep(sample);
      this.options.events.sample({ lab: this.lab, variant: this.variant, sample });
      this.flushGc();
    } catch {
      // A failed sample means the process is failing: the 'failure' handler reports it.
    } finally {
      this.sampling = false;
    }
  }

  private flushGc(): void {
    if (this.pendingGc.length === 0) return;
    const events = this.pendingGc;
    this.pendingGc = [];
    this.options.events.gc({ lab: this.lab, variant: this.variant, events });
  }

  /**
   * A sample after a forced full GC (a marked point on the graph). One at a time: a request while
   * a forced GC runs gets that GC's sample, so a burst of clicks cannot queue hundreds of full GCs in
   * the lab (which starve its event loop until the hub calls it blocked).
   */
  forceGc(): Promise<ProbeSample | undefined> {
    this.forcing ??= this.doForceGc().finally(() => (this.forcing = undefined));
    return this.forcing;
  }

  private async doForceGc(): Promise<ProbeSample | undefined> {
    const child = this.running();
    if (!child) return undefined;
    const sample = await child.sample(true);
    if (this.process !== child) return undefined;
    this.keep(sample);
    this.options.events.sample({ lab: this.lab, variant: this.variant, sample });
    this.flushGc();
    return sample;
  }

  private keep(sample: ProbeSample): void {
    this.samples.push(chartPoint(sample));
    this.latest = sample;
  }

  /** What a page that joins late needs to redraw the graph: the samples in columns, the newest whole. */
  history(): SessionHistory {
    const samples = this.samples.toArray();
    const columns: SampleColumns = { t: [], afterGc: [], heapUsed: [], heapTotal: [], external: [], arrayBuffers: [], rss: [] };
    for (const s of samples) {
      columns.t.push(s.t);
      columns.afterGc.push(s.afterGc);
      columns.heapUsed.push(s.heapUsed);
      columns.heapTotal.push(s.heapTotal);
      columns.external.push(s.external);
      columns.arrayBuffers.push(s.arrayBuffers);
      columns.rss.push(s.rss);
    }
    const latest = this.latest;
    return { variant: this.variant, samples: columns, ...(latest ? { latest } : {}), gc: this.gcEvents.toArray().slice(-GC_EVENTS_ON_JOIN) };
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.stopSampler();
    if (!child) return;
    await child.stop();
    if (this.process === child) {
      this.process = undefined;
      this.status = 'stopped';
      this.reason = undefined;
      this.exitReason = undefined;
      this.pendingGc = [];
      this.publish();
    }
  }

  private stopSampler(): void {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = undefined;
  }

  private publish(): void {
    this.options.events.state(this.state());
  }
}
