/**
 * Run one check: start the lab's server file under the probe, warm it up, drive rounds of its real
 * workload with a forced GC and a sample after each until the memory trend is decided (or the
 * lab's time budget runs out), prove the feature still works, and decide.
 *
 * Learner mistakes never throw out of here: they come back as a verdict with status 'error' whose
 * reason names the file. The child process is stopped on every path.
 */
import { withDefaults, type CheckPlan, type LabCheck, type LabContext, type LabRun } from './check-plan.ts';
import { createLabContext, loadCheckPlan } from './check-plans.ts';
import { LabError, isLabError } from './errors.ts';
import { displayPath, startLab, type LabProcess } from './lab-process.ts';
import type { LoadResult } from './load/index.ts';
import { findLab, loadCourse } from './manifest.ts';
import type { LabTarget, ProbeSample, RoundRecord, Verdict } from './types.ts';
import { decide, errorVerdict, judgeAfterLoad, keptBetweenQuiet, memoryTrend, MIN_INCREMENTS, type ReleaseConfirmation } from './verdict/index.ts';

/** Extra forced GCs before the first measured sample, so V8's post-start clean-up is behind it. */
const SETTLING_GCS = 6;
/** Failed operations tolerated in a round before the server counts as not answering. */
const TOLERATED_FAILURES = 0.05;
/**
 * After the load stops, how long a leak must stay before it is called one: memory or counters freed
 * on a timer within this time (a grace period after a client leaves, a short expiry) were held, not
 * kept. Only a check that still sees a leak waits; it reads again (GC first) every poll.
 */
export const RELEASE_WAIT_MS = 3000;
const RELEASE_POLL_MS = 500;

export interface CheckOptions {
  target: LabTarget;
  /** Called after every round (warm-up included) with the record and the round's place. */
  onRound?: (round: RoundRecord, index: number, total: number) => void;
  /** Called when the check moves on after the rounds, with what it does now in a learner's words. */
  onStage?: (stage: string) => void;
  /** Abort the check: the child is stopped and the verdict says 'cancelled'. */
  signal?: AbortSignal;
  /** Run the lab with the optimising JIT tiers off (default true: same leaks, far less noise). */
  quiet?: boolean;
  /** Override the lab's check plan (tests and the bench use the synthetic one this way). */
  check?: LabCheck;
  /** The unit of load when `check` is given (default 'operation'); otherwise the manifest's. */
  operation?: string;
  /** How long the server may take to listen (default 10 s). */
  listenTimeoutMs?: number;
  /** The command that shows the next hint (default `leaklab hint NN` from the lab id). */
  hintCommand?: string;
  /** What to say after a pass. */
  nextOnPass?: string;
  /** More Node flags for the lab process, before the entry (the bench's retention preload uses this). */
  nodeFlags?: readonly string[];
  /** More environment for the lab process, over the check's tunables (the preload reads its settings there). */
  env?: Record<string, string>;
}

/** The plan and the unit of load for a lab id, from the course (or as the caller gave them). */
async function planFor(options: CheckOptions): Promise<{ check: CheckPlan; operation: string } | undefined> {
  if (options.check) return { check: withDefaults(options.check), operation: options.operation ?? 'operation' };
  try {
    const lab = findLab(loadCourse(), options.target.labId);
    return { check: withDefaults(await loadCheckPlan(lab.dir)), operation: lab.operation };
  } catch {
    return undefined;
  }
}

/** Check a lab's server file; always resolves with a Verdict. */
export async function checkLab(options: CheckOptions): Promise<Verdict> {
  const started = Date.now();
  const { target } = options;
  const file = displayPath(target.entry);
  const hintCommand = options.hintCommand ?? defaultHintCommand(target.labId);
  const plan = await planFor(options);
  if (!plan) {
    return errorVerdict({
      labId: target.labId,
      entry: target.entry,
      operation: 'operation',
      message: new LabError('UNKNOWN_LAB', { detail: target.labId }).message,
      durationMs: Date.now() - started,
    });
  }
  const { check, operation } = plan;

  let lab: LabProcess | undefined;
  let ctx: (LabContext & { close(): void }) | undefined;
  let run: LabRun | undefined;
  try {
    lab = await startLab({
      entry: target.entry,
      env: { ...check.env, ...options.env },
      quiet: options.quiet ?? true,
      signal: options.signal,
      listenTimeoutMs: options.listenTimeoutMs,
      labName: /^(\d+)-/.exec(target.labId)?.[1],
      nodeFlags: options.nodeFlags,
    });
    ctx = createLabContext(lab, { signal: options.signal });
    run = await until(lab, options.signal, check.start(ctx));
    const rounds = await driveRounds(lab, run, check, operation, options);
    const loadStopped = Date.now();
    options.onStage?.('trying the features');
    const functional = await until(lab, options.signal, run.verify());
    const first = rounds.find((round) => round.measured)!.sample;
    options.onStage?.('reading memory after the load');
    const afterLoad = await until(lab, options.signal, readAfterLoad(lab, check, rounds, loadStopped, options.signal));
    const judged = judgeAfterLoad(rounds, check.series, countersBetween(check, first, afterLoad.samples[afterLoad.samples.length - 1]!), afterLoad.samples);
    if (judged.cameBack !== undefined && !judged.leaking) {
      options.onStage?.('memory came back; the same load again, to see it come back twice');
      afterLoad.confirmation = await until(lab, options.signal, confirmRelease(lab, run, check, rounds, afterLoad.samples, operation, options));
    }
    return decide({
      labId: target.labId,
      entry: target.entry,
      operation,
      series: check.series,
      rounds,
      mechanism: countersBetween(check, first, afterLoad.samples[afterLoad.samples.length - 1]!),
      afterLoad,
      functional,
      durationMs: Date.now() - started,
      hintCommand,
      nextOnPass: options.nextOnPass,
    });
  } catch (error) {
    if (!isLabError(error)) throw error; // a bug in the checker itself: let it show
    return errorVerdict({
      labId: target.labId,
      entry: target.entry,
      operation,
      message: error.message,
      durationMs: Date.now() - started,
      next: error.code === 'CANCELLED' ? 'Run the check again when you are ready.' : `Fix ${file} as the message says, then check again.`,
    });
  } finally {
    await Promise.resolve(run?.close()).catch(() => undefined);
    ctx?.close();
    await lab?.stop();
  }
}

/**
 * Warm-up rounds, then measured rounds, each followed by a forced GC and a sample, until the
 * memory trend is decided; at most `maxRounds`.
 */
async function driveRounds(lab: LabProcess, run: LabRun, check: CheckPlan, operation: string, options: CheckOptions): Promise<RoundRecord[]> {
  const rounds: RoundRecord[] = [];
  const expected = check.warmupRounds + 1 + MIN_INCREMENTS;
  let ops = 0;
  const record = (sample: ProbeSample, measured: boolean) => {
    const round: RoundRecord = { ops, measured, sample };
    rounds.push(round);
    options.onRound?.(round, rounds.length - 1, Math.max(expected, rounds.length));
  };
  const sample = (gcCount?: number) => until(lab, options.signal, lab.sample(true, { gcCount, settleMs: check.settleMs }));

  for (let i = 0; i < check.warmupRounds; i++) {
    ops += await runLoad(lab, run, check, operation, options);
    // Not measured: JIT, lazy initialisation and bounded structures filling up all happen here.
    record(await sample(), false);
  }
  record(await sample((options.quiet ?? true) ? SETTLING_GCS : 4), true);
  for (let measured = 1; measured <= check.maxRounds; measured++) {
    ops += await runLoad(lab, run, check, operation, options);
    record(await sample(), true);
    if (measured < MIN_INCREMENTS) continue;
    // Only memory ends the rounds early. A counter that is up mid-load may be one that a timer takes
    // back down (a listener removed a second after its client left): stopping on it left such a fix
    // with an undecided trend and an "inconclusive" verdict once the counter came back. The
    // counters are judged after the load, when what a timer frees has gone.
    if (memoryTrend(rounds, check.series).decision !== 'undecided') break;
  }
  return rounds;
}

/**
 * Memory and counters once the load has stopped and the feature checks are done (after a settle).
 * While they still show a leak (or a trend too unsteady to call has not come back), read again
 * every RELEASE_POLL_MS until RELEASE_WAIT_MS after the load stopped: what a timer frees goes; a
 * leak stays. The feature checks already took part of that time, so a leak costs the wait once.
 */
async function readAfterLoad(lab: LabProcess, check: CheckPlan, rounds: RoundRecord[], loadStopped: number, signal?: AbortSignal): Promise<{ samples: ProbeSample[]; waitedMs: number; confirmation?: ReleaseConfirmation }> {
  const first = rounds.find((round) => round.measured)!.sample;
  // Done when nothing leaks and a trend too unsteady to call is back (what a timer holds may still go).
  const samples = await readUntil(lab, check, loadStopped, signal, (readings) => {
    const judged = judgeAfterLoad(rounds, check.series, countersBetween(check, first, readings[readings.length - 1]!), readings);
    return !judged.leaking && !(judged.trend.decision === 'undecided' && judged.cameBack === undefined);
  });
  return { samples, waitedMs: Date.now() - loadStopped };
}

/**
 * Memory came back after the load: drive as many rounds again, then read until
 * RELEASE_WAIT_MS after they stopped (every RELEASE_POLL_MS) while the readings still keep more
 * than the first quiet ones. A grace period comes back again; a leak behind an emptying cache does
 * not (kit/verdict/rules.ts, keptBetweenQuiet). Only a check about to excuse memory pays for this.
 */
async function confirmRelease(lab: LabProcess, run: LabRun, check: CheckPlan, rounds: RoundRecord[], quiet: ProbeSample[], operation: string, options: CheckOptions): Promise<ReleaseConfirmation> {
  const increments = rounds.filter((round) => round.measured).length - 1;
  let ops = 0;
  for (let i = 0; i < increments; i++) ops += await runLoad(lab, run, check, operation, options);
  const stopped = Date.now();
  const samples = await readUntil(lab, check, stopped, options.signal, (readings) => keptBetweenQuiet(check.series, quiet, readings, ops) !== undefined);
  return { ops, samples, waitedMs: Date.now() - stopped };
}

/**
 * Post-GC readings after a load that stopped at `stopped`. While `done` says no: a second reading
 * however long the feature checks took (it takes two to say memory came back), then one every
 * RELEASE_POLL_MS until RELEASE_WAIT_MS after the load stopped.
 */
async function readUntil(lab: LabProcess, check: CheckPlan, stopped: number, signal: AbortSignal | undefined, done: (samples: ProbeSample[]) => boolean): Promise<ProbeSample[]> {
  const samples = [await lab.sample(true, { settleMs: Math.max(check.settleMs ?? 0, 50) })];
  while (!done(samples) && (samples.length < 2 || Date.now() - stopped < RELEASE_WAIT_MS) && !signal?.aborted && !lab.failed) {
    await new Promise((resolve) => setTimeout(resolve, RELEASE_POLL_MS));
    samples.push(await lab.sample(true, { settleMs: check.settleMs }));
  }
  return samples;
}

/** The lab's exact counters read at two samples, as the verdict's rules take them. */
function countersBetween(check: CheckPlan, before: ProbeSample, after: ProbeSample) {
  return check.counters.map((signal) => ({ label: signal.label, before: signal.read(before), after: signal.read(after) }));
}

/** One round of load; a server that stops answering is an error, a crashed one says why it crashed. */
async function runLoad(lab: LabProcess, run: LabRun, check: CheckPlan, operation: string, options: CheckOptions): Promise<number> {
  const signal = options.signal;
  const result: LoadResult = await until(lab, signal, run.round(check.roundSize));
  if (result.failed > result.sent * TOLERATED_FAILURES) {
    // A refused connection often arrives before the child's exit is seen: give the crash a moment to show.
    const crashed = await Promise.race([lab.failure, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref())]);
    throw (
      crashed ??
      new LabError('NOT_ANSWERING', {
        file: displayPath(lab.entry),
        lab: /^(\d+)-/.exec(options.target.labId)?.[1],
        detail: `${result.failed} of ${result.sent} ${operation}s failed (first: ${result.firstError ?? 'unknown'})`,
      })
    );
  }
  return result.sent;
}

/** Wait for `work`, but give up as soon as the lab fails (crash, blocked loop) or the check is cancelled. */
function until<T>(lab: LabProcess, signal: AbortSignal | undefined, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (lab.failed) return reject(lab.failed);
    if (signal?.aborted) return reject(new LabError('CANCELLED', { file: displayPath(lab.entry) }));
    const cleanup = () => {
      lab.off('failure', onFailure);
      signal?.removeEventListener('abort', onAbort);
    };
    const onFailure = (error: LabError) => {
      cleanup();
      reject(error);
    };
    const onAbort = () => {
      cleanup();
      reject(new LabError('CANCELLED', { file: displayPath(lab.entry) }));
    };
    lab.on('failure', onFailure);
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(lab.failed ?? error);
      },
    );
  });
}

function defaultHintCommand(labId: string): string {
  const number = /^(\d+)-/.exec(labId)?.[1];
  return number ? `npx leaklab hint ${number}` : 'npx leaklab help';
}
