/**
 * One lab in the hub: its two servers (the learner's and the solution), its baseline and near-limit
 * snapshots, its last comparison and verdict, its one job at a time (a load run, a check, or a
 * snapshot and its comparison), and a watch on the learner's file: when it changes, the running
 * server is out of date, the page says so and offers a restart, and nothing compares or snapshots
 * the old code. Everything a page can ask of a lab is a method here; server.ts only checks the
 * request and calls it. What happens is told to the lab's room through `emit`.
 */
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AnalysisProgress } from '../kit/snapshots/index.ts';
import type { Verdict } from '../kit/types.ts';
import { analyseInWorker } from './analyse.ts';
import { lastCheckOf, nextHint, resetLab, runCheck, runLoad, shownHints, type HubLab } from './kit-bridge.ts';
import { LabSession } from './lab-session.ts';
import { collectNearLimitSnapshot, nearLimitWritten } from './near-limit.ts';
import {
  VARIANTS,
  type ComparisonView,
  type CrashRunOutcome,
  type JobKind,
  type LabState,
  type LoadOutcome,
  type ResetView,
  type ServerEvents,
  type SessionState,
  type Variant,
} from './protocol.ts';
import { RequestError } from './requests.ts';
import type { SnapshotStore } from './snapshot-store.ts';

/** Send one event to the pages in this lab's room. */
export type RoomEmit = <E extends keyof ServerEvents>(event: E, ...args: Parameters<ServerEvents[E]>) => void;

export interface WorkbenchOptions {
  lab: HubLab;
  /** Project root, to show files relative to it. */
  root: string;
  store: SnapshotStore;
  emit: RoomEmit;
  /** Snapshot names any lab still uses (baselines, near-limit ones): never pruned. */
  inUse: () => ReadonlySet<string>;
  /** Milliseconds between live samples (default: the session's). */
  sampleEveryMs?: number;
  /** Heap cap of lab processes in MB (default: the kit's). */
  labHeapMb?: number;
}

/** Requests driven per step of "run until it dies": small enough for steady progress. */
const CRASH_RUN_STEP = 500;

const JOB_WORDS: Record<JobKind, string> = { load: 'a load run', check: 'a check', snapshot: 'a snapshot' };

const STAGE_WORDS: Record<AnalysisProgress['stage'], string> = {
  'reading the baseline': 'Reading the baseline snapshot',
  'reading the later snapshot': 'Reading the later snapshot',
  'comparing by constructor': 'Comparing the two by constructor',
  'finding retainer paths': 'Finding why the new objects are still alive',
};

interface RunningJob {
  kind: JobKind;
  controller: AbortController;
}

export class LabWorkbench {
  readonly lab: HubLab;
  private readonly sessions: Record<Variant, LabSession>;
  private readonly baselines: Record<Variant, string | undefined> = { learner: undefined, solution: undefined };
  private readonly nearLimit: Record<Variant, string | undefined> = { learner: undefined, solution: undefined };
  /** Moving a crash's near-limit snapshot into the store, per variant (a start waits for it). */
  private readonly collecting: Record<Variant, Promise<string | undefined>> = { learner: Promise.resolve(undefined), solution: Promise.resolve(undefined) };
  private analysis: ComparisonView | undefined;
  private verdict: { variant: Variant; verdict: Verdict } | undefined;
  private job: RunningJob | undefined;
  /** Hash of the learner's file when their server started (undefined while it is not running). */
  private startedWith: string | undefined;
  private watcher: FSWatcher | undefined;
  private watchTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WorkbenchOptions) {
    this.lab = options.lab;
    const { lab } = options;
    const session = (variant: Variant) => {
      const entry = this.entryOf(variant);
      // A lab meant to die (lab 07) runs under its own small cap with a snapshot near the limit.
      const heapMb = lab.crashRun ? lab.crashRun.heapMb : options.labHeapMb;
      return new LabSession({
        lab: lab.id,
        variant,
        entry,
        file: path.relative(options.root, entry),
        env: lab.liveTunables,
        events: {
          state: (state) => {
            if (variant === 'learner' && state.status !== 'running') this.startedWith = undefined;
            options.emit('lab:state', this.decorate(state));
            if (state.status === 'crashed' && lab.crashRun) void this.collectAfterCrash(variant);
          },
          sample: (payload) => options.emit('lab:sample', payload),
          gc: (payload) => options.emit('lab:gc', payload),
        },
        ...(options.sampleEveryMs ? { sampleEveryMs: options.sampleEveryMs } : {}),
        ...(heapMb ? { heapMb } : {}),
        ...(lab.crashRun ? { nearLimitDir: this.nearLimitDirOf(variant), blockedAfterMs: 120_000 } : {}),
      });
    };
    this.sessions = { learner: session('learner'), solution: session('solution') };
    this.watchLearnerFile();
  }

  // ------------------------------------------------------------------------------------------
  // The learner's file

  private async fileHash(): Promise<string | undefined> {
    try {
      return createHash('sha1').update(await readFile(this.lab.serverFile)).digest('hex');
    } catch {
      return undefined; // deleted: a start will say so
    }
  }

  /** True when the learner's server runs code older than their file. */
  private async learnerStale(): Promise<boolean> {
    return this.startedWith !== undefined && this.sessions.learner.running() !== undefined && (await this.fileHash()) !== this.startedWith;
  }

  private decorate(state: SessionState, stale = false): SessionState {
    return stale ? { ...state, stale } : state;
  }

  /**
   * Watch the workspace folder (editors often save by writing a new file and renaming it over the
   * old one, which a watch on the file itself would miss); a burst of events is one change.
   */
  private watchLearnerFile(): void {
    try {
      this.watcher = watch(this.lab.workspaceDir, { persistent: false }, (_event, name) => {
        if (name && name !== path.basename(this.lab.serverFile)) return;
        clearTimeout(this.watchTimer);
        this.watchTimer = setTimeout(() => void this.onFileChanged(), 150);
      });
      this.watcher.on('error', () => undefined);
    } catch {
      // No workspace folder (yet): the page still works, without the out-of-date notice.
    }
  }

  private async onFileChanged(): Promise<void> {
    const stale = await this.learnerStale();
    this.options.emit('lab:state', this.decorate(this.sessions.learner.state(), stale));
  }

  private async refuseStale(): Promise<void> {
    if (await this.learnerStale()) {
      throw new RequestError('your file changed since your server started: restart it first, so that what you measure is your new code');
    }
  }

  private entryOf(variant: Variant): string {
    return variant === 'learner' ? this.lab.serverFile : this.lab.solutionFile;
  }

  /** V8's diagnostic folder for one server: inside the snapshot store, so nothing lands elsewhere. */
  private nearLimitDirOf(variant: Variant): string {
    return path.join(this.options.store.dir, 'near-limit', `${this.lab.id}-${variant}`);
  }

  /** Snapshot names this lab still needs. */
  snapshotsInUse(): string[] {
    return VARIANTS.flatMap((v) => [this.baselines[v], this.nearLimit[v]]).filter((name): name is string => name !== undefined);
  }

  private running() {
    return VARIANTS.map((v) => this.sessions[v]).filter((s) => s.running());
  }

  /** Everything a page needs when it joins. */
  async state(): Promise<LabState> {
    const stale = await this.learnerStale();
    return {
      lab: this.lab.id,
      sessions: [this.decorate(this.sessions.learner.state(), stale), this.sessions.solution.state()],
      history: VARIANTS.filter((v) => this.sessions[v].samples.length > 0).map((v) => this.sessions[v].history()),
      job: this.job ? { kind: this.job.kind } : null,
      snapshots: await this.snapshots(),
      baselines: { learner: this.baselines.learner ?? null, solution: this.baselines.solution ?? null },
      analysis: this.analysis ?? null,
      crashRun: this.lab.crashRun ?? null,
      nearLimit: { learner: this.nearLimit.learner ?? null, solution: this.nearLimit.solution ?? null },
      file: path.relative(this.options.root, this.lab.serverFile),
      lastCheck: lastCheckOf(this.lab) ?? null,
      verdict: this.verdict ?? null,
      hints: shownHints(this.lab),
      hintCount: this.lab.hints.length,
      tunables: { live: this.lab.liveTunables, check: this.lab.checkTunables, about: this.lab.tunablesAbout },
    };
  }

  async snapshots() {
    return (await this.options.store.list()).filter((s) => s.name.startsWith(`${this.lab.id}-`));
  }

  // ------------------------------------------------------------------------------------------
  // The servers

  async start(variant: Variant): Promise<SessionState> {
    // A start empties V8's diagnostic folder: let a crash's snapshot be moved to the store first.
    await this.collecting[variant];
    const hash = variant === 'learner' && !this.sessions.learner.running() ? await this.fileHash() : undefined;
    await this.sessions[variant].start();
    if (hash !== undefined && this.sessions.learner.running()) this.startedWith = hash;
    return this.decorate(this.sessions[variant].state(), variant === 'learner' && (await this.learnerStale()));
  }

  /** Stop and start again: the learner's server then runs their file as it is now. */
  async restart(variant: Variant): Promise<SessionState> {
    await this.sessions[variant].stop();
    return this.start(variant);
  }

  async stop(variant: Variant): Promise<SessionState> {
    await this.sessions[variant].stop();
    return this.sessions[variant].state();
  }

  /** Both servers side by side; a learner's server running old code is restarted first. */
  async compare(): Promise<SessionState[]> {
    if (await this.learnerStale()) await this.sessions.learner.stop();
    return Promise.all(VARIANTS.map((v) => this.start(v)));
  }

  // ------------------------------------------------------------------------------------------
  // Hints and reset (the same progress store and backups as `leaklab hint` and `leaklab reset`)

  hint(): { hints: string[]; total: number } {
    const answer = { hints: nextHint(this.lab), total: this.lab.hints.length };
    this.options.emit('lab:hints', { lab: this.lab.id, ...answer });
    return answer;
  }

  /** The learner's file back as shipped; their version is kept in output/backups. */
  reset(): ResetView {
    if (this.job?.kind === 'check') throw new RequestError('a check of your file is running: wait for it to finish');
    const outcome = resetLab(this.lab);
    if (!outcome.unchanged) {
      this.verdict = undefined;
      this.options.emit('lab:last-check', { lab: this.lab.id, lastCheck: null });
    }
    return outcome;
  }

  /** A forced full GC in every running server; a burst of requests shares the GC in flight. */
  async gc(): Promise<number> {
    const samples = await Promise.all(this.running().map((s) => s.forceGc().catch(() => undefined)));
    return samples.filter(Boolean).length;
  }

  // ------------------------------------------------------------------------------------------
  // Jobs: one at a time per lab

  /** Run `work` as the lab's one job; refuses while another runs. */
  private async exclusive<T>(kind: JobKind, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.job) throw new RequestError(`${JOB_WORDS[this.job.kind]} is running for this lab: wait for it to finish`);
    const controller = new AbortController();
    // The load drivers add one abort listener per operation in flight (up to their concurrency).
    setMaxListeners(64, controller.signal);
    this.job = { kind, controller };
    this.options.emit('lab:job', { lab: this.lab.id, job: { kind } });
    try {
      return await work(controller.signal);
    } finally {
      this.job = undefined;
      this.options.emit('lab:job', { lab: this.lab.id, job: null });
    }
  }

  private targetsForLoad() {
    const targets = this.running();
    if (targets.length === 0) throw new RequestError('start the lab first: there is no running server to load');
    return targets;
  }

  /** The same workload against every running server at once, so a comparison is fair. */
  async load(count: number): Promise<{ results: LoadOutcome[]; operation: string }> {
    const targets = this.targetsForLoad();
    // The job is taken before anything is awaited, so requests get it in the order they arrived
    // (a snapshot sent just after a load used to win the race for it now and then).
    return this.exclusive('load', async (signal) => {
      await this.refuseStale();
      const results = await Promise.all(
        targets.map((s) =>
          runLoad(this.lab, s.running()!, count, signal, (done) =>
            this.options.emit('lab:load-progress', { lab: this.lab.id, variant: s.variant, done, total: count }),
          ).then(
            (done): LoadOutcome => ({ variant: s.variant, done }),
            (error: Error): LoadOutcome => ({ variant: s.variant, done: 0, error: error.message }),
          ),
        ),
      );
      return { results, operation: this.lab.operation };
    });
  }

  /**
   * Drive the lab's own workload without pause until every running server has died of its heap cap
   * (or a time limit passes: a fixed lab does not die). Progress goes out after every step.
   */
  runToCrash(): Promise<{ results: CrashRunOutcome[]; operation: string }> {
    const crashRun = this.lab.crashRun;
    if (!crashRun) throw new RequestError(`${this.lab.id} is not a lab to run until it dies: use the load buttons`);
    const targets = this.targetsForLoad();
    return this.exclusive('load', async (signal) => {
      const started = Date.now();
      // A server that does not die (a fixed one) is given five times what the leak needed on this
      // line when measured: how far a leaky one gets varies with the machine and the traffic's mix.
      const limitOps = 5 * crashRun.aboutOps;
      const results = await Promise.all(
        targets.map(async (s): Promise<CrashRunOutcome> => {
          const child = s.running()!;
          let done = 0;
          let snapshotWritten = false;
          while (s.running() === child && !signal.aborted && done < limitOps) {
            // A step that fails because the lab died mid-way ends the loop on the next test.
            done += await runLoad(this.lab, child, CRASH_RUN_STEP, signal, () => undefined).catch(() => 0);
            // V8 writes the snapshot first, then the process goes on collecting until V8 gives up.
            snapshotWritten ||= await nearLimitWritten(this.nearLimitDirOf(s.variant));
            this.options.emit('lab:load-progress', {
              lab: this.lab.id,
              variant: s.variant,
              done,
              total: 0,
              untilCrash: true,
              elapsedMs: Date.now() - started,
              aboutOps: crashRun.aboutOps,
              snapshotWritten,
            });
          }
          const state = s.state();
          const died = s.running() !== child && state.status === 'crashed';
          const snapshot = died ? await this.collecting[s.variant] : undefined;
          return {
            variant: s.variant,
            done,
            seconds: Math.round((Date.now() - started) / 1000),
            outcome: died ? (state.exitReason ?? 'crashed') : signal.aborted || s.running() !== child ? 'stopped' : 'still running',
            ...(state.reason && died ? { reason: state.reason } : {}),
            ...(snapshot ? { nearLimitSnapshot: snapshot } : {}),
          };
        }),
      );
      return { results, operation: this.lab.operation };
    });
  }

  /** The checker on the learner's file or the solution, its rounds streamed onto the graph. */
  check(variant: Variant): Promise<Verdict> {
    return this.exclusive('check', async (signal) => {
      this.options.emit('lab:check-start', { lab: this.lab.id, variant });
      const verdict = await runCheck(this.lab, variant, signal, {
        onRound: (round, index, total) => {
          this.options.emit('lab:check-round', { lab: this.lab.id, variant, round });
          this.stage(`round ${index + 1} of ${total}${round.measured ? '' : ' (warm-up)'}`, (index + 1) / total);
        },
        onStage: (stage) => this.stage(stage),
      });
      this.verdict = { variant, verdict };
      this.options.emit('lab:verdict', { lab: this.lab.id, variant, verdict });
      if (variant === 'learner') this.options.emit('lab:last-check', { lab: this.lab.id, lastCheck: lastCheckOf(this.lab) ?? null });
      return verdict;
    });
  }

  // ------------------------------------------------------------------------------------------
  // Snapshots

  /** Write a snapshot of a running server; a later one is compared with the baseline. */
  async snapshot(variant: Variant, role: 'baseline' | 'later'): Promise<{ name: string; analysis?: ComparisonView }> {
    const child = this.sessions[variant].running();
    if (!child) throw new RequestError('start the lab first: snapshots are taken of a running server');
    if (role === 'later' && !this.baselines[variant]) throw new RequestError('take a baseline snapshot first');
    return this.exclusive('snapshot', async (signal) => {
      if (variant === 'learner') await this.refuseStale();
      this.stage('Writing the snapshot (the server pauses while V8 writes it)');
      const { name, path: file } = await this.options.store.allocate(this.lab.id, variant);
      await child.writeSnapshot(file);
      if (role === 'baseline') {
        this.baselines[variant] = name;
        this.analysis = undefined;
      }
      await this.options.store.prune(this.options.inUse());
      this.options.emit('lab:snapshot', { lab: this.lab.id, variant, role, name });
      if (role === 'baseline') return { name };
      const baseline = this.baselines[variant]!;
      const analysis = await this.compareSnapshots(variant, baseline, { name, path: file }, signal);
      return { name, analysis };
    });
  }

  /**
   * Compare the snapshot V8 wrote near the heap limit with the baseline, or, if there is none, with
   * a fresh snapshot of the server restarted (nothing has leaked yet in a fresh process).
   */
  async compareNearLimit(variant: Variant): Promise<ComparisonView> {
    await this.collecting[variant];
    const later = this.nearLimit[variant];
    const laterPath = later ? await this.options.store.resolve(later) : undefined;
    if (!later || !laterPath) throw new RequestError('there is no snapshot near the heap limit yet: run the lab until it dies first');
    return this.exclusive('snapshot', async (signal) => {
      let baseline = this.baselines[variant];
      if (!baseline || !(await this.options.store.resolve(baseline))) {
        this.stage('Restarting the server for a fresh baseline snapshot');
        await this.start(variant);
        const child = this.sessions[variant].running();
        if (!child) throw new RequestError(`the lab could not be restarted for a fresh baseline: ${this.sessions[variant].state().reason ?? 'unknown reason'}`);
        const fresh = await this.options.store.allocate(this.lab.id, variant);
        await child.writeSnapshot(fresh.path);
        baseline = fresh.name;
        this.baselines[variant] = baseline;
        await this.options.store.prune(this.options.inUse());
        this.options.emit('lab:snapshot', { lab: this.lab.id, variant, role: 'baseline', name: baseline });
      }
      return this.compareSnapshots(variant, baseline, { name: later, path: laterPath }, signal, true);
    });
  }

  /** Tell the room what the running job is doing now. */
  private stage(stage: string, fraction?: number): void {
    if (!this.job) return;
    this.options.emit('lab:job', { lab: this.lab.id, job: { kind: this.job.kind, stage, ...(fraction === undefined ? {} : { fraction }) } });
  }

  private async compareSnapshots(
    variant: Variant,
    baseline: string,
    later: { name: string; path: string },
    signal: AbortSignal,
    nearLimit = false,
  ): Promise<ComparisonView> {
    const baselinePath = await this.options.store.resolve(baseline);
    if (!baselinePath) throw new RequestError('the baseline snapshot was deleted: take a new baseline');
    const entry = this.entryOf(variant);
    const analysis = await analyseInWorker(
      {
        beforePath: baselinePath,
        afterPath: later.path,
        options: { rows: 15, sources: [{ file: path.relative(this.options.root, entry), text: await readFile(entry, 'utf8') }] },
      },
      { signal, onProgress: (p) => this.stage(STAGE_WORDS[p.stage], p.fraction) },
    );
    const result: ComparisonView = { ...analysis, baseline, later: later.name, variant, ...(nearLimit ? { nearLimit } : {}) };
    this.analysis = result;
    this.options.emit('lab:analysis', { lab: this.lab.id, analysis: result });
    return result;
  }

  /**
   * After a crash, move the snapshot V8 wrote near the heap limit into the store and tell the page.
   * Once at a time per server (a crash can be reported twice: the failure, then the exit code).
   */
  private collectAfterCrash(variant: Variant): Promise<string | undefined> {
    this.collecting[variant] = this.collecting[variant].then(async () => {
      const name = await collectNearLimitSnapshot(this.nearLimitDirOf(variant), this.options.store, this.lab.id, variant).catch(() => undefined);
      if (!name) return this.nearLimit[variant];
      this.nearLimit[variant] = name;
      await this.options.store.prune(this.options.inUse());
      this.options.emit('lab:snapshot', { lab: this.lab.id, variant, role: 'near-limit', name });
      return name;
    });
    return this.collecting[variant];
  }

  /** Cancel the job, stop watching and stop both servers. */
  async close(): Promise<void> {
    this.job?.controller.abort();
    this.watcher?.close();
    clearTimeout(this.watchTimer);
    await Promise.all(VARIANTS.map((v) => this.sessions[v].stop().catch(() => undefined)));
  }
}
