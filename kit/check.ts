/**
 * Run one check: start the lab's server file under the probe, warm it up, drive rounds of its real
 * workload with a forced GC and a sample after each, prove the feature still works, and decide.
 * Learner mistakes never throw out of here: they come back as a verdict with status 'error' whose
 * reason names the file. The child process is stopped on every path.
 */
import { LabError, isLabError } from './errors.ts';
import { createLabContext, labCheckFor, type LabCheck, type LabContext } from './lab-checks/index.ts';
import { displayPath, startLab, type LabProcess } from './lab-process.ts';
import type { LoadResult } from './load/index.ts';
import type { LabTarget, ProbeSample, RoundRecord, Verdict } from './types.ts';
import { decide, errorVerdict, judgeMechanism, judgeTrend, needsConfirmation } from './verdict.ts';

/** Forced GCs before the first measured sample: moves V8's one-off post-start blip out of the window. */
const SETTLING_GCS = 30;
/** Failed operations tolerated in a round before the server counts as not answering. */
const TOLERATED_FAILURES = 0.05;

export interface CheckOptions {
  target: LabTarget;
  /** Called after every round (warm-up included) with the record and the round's place. */
  onRound?: (round: RoundRecord, index: number, total: number) => void;
  /** Abort the check: the child is stopped and the verdict says 'cancelled'. */
  signal?: AbortSignal;
  /** Run the lab with the quiet JIT flags (default true: far less noise, same leaks). */
  quiet?: boolean;
  /** Override the lab's check (tests and the bench use the synthetic one this way). */
  check?: LabCheck;
  /** How long the server may take to listen (default 10 s). */
  listenTimeoutMs?: number;
  /** The command that shows the next hint (default `leaklab hint NN` from the lab id). */
  hintCommand?: string;
  /** What to say after a pass. */
  nextOnPass?: string;
}

/** Check a lab's server file; always resolves with a Verdict. */
export async function checkLab(options: CheckOptions): Promise<Verdict> {
  const started = Date.now();
  const { target } = options;
  const check = options.check ?? labCheckFor(target.labId);
  const file = displayPath(target.entry);
  const hintCommand = options.hintCommand ?? defaultHintCommand(target.labId);
  if (!check) {
    return errorVerdict({
      labId: target.labId,
      entry: target.entry,
      operation: 'operation',
      message: new LabError('UNKNOWN_LAB', { detail: target.labId }).message,
      durationMs: Date.now() - started,
    });
  }

  let lab: LabProcess | undefined;
  let ctx: (LabContext & { close(): void }) | undefined;
  try {
    lab = await startLab({
      entry: target.entry,
      env: check.env,
      quiet: options.quiet ?? true,
      signal: options.signal,
      listenTimeoutMs: options.listenTimeoutMs,
      labName: /^(\d+)-/.exec(target.labId)?.[1],
    });
    ctx = createLabContext(lab, { signal: options.signal });
    const rounds = await driveRounds(lab, ctx, check, options);
    const functional = await until(lab, options.signal, check.functional(ctx));
    const measured = rounds.filter((round) => round.measured);
    const first = measured[0]!.sample;
    // Counters are read once more at the very end, after a settle: what is still there now stays.
    const last = await until(lab, options.signal, lab.sample(true, { settleMs: check.settleMs ?? 50 }));
    return decide({
      labId: target.labId,
      entry: target.entry,
      operation: check.operation,
      series: check.series,
      rounds,
      mechanism: check.mechanism.map((signal) => ({ label: signal.label, before: signal.read(first), after: signal.read(last) })),
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
      operation: check.operation,
      message: error.message,
      durationMs: Date.now() - started,
      next: error.code === 'CANCELLED' ? 'Run the check again when you are ready.' : `Fix ${file} as the message says, then check again.`,
    });
  } finally {
    ctx?.close();
    await lab?.stop();
  }
}

/** Warm-up rounds, then measured rounds, each followed by a forced GC and a sample. */
async function driveRounds(lab: LabProcess, ctx: LabContext, check: LabCheck, options: CheckOptions): Promise<RoundRecord[]> {
  const rounds: RoundRecord[] = [];
  const total = check.warmupRounds + check.measuredRounds;
  let ops = 0;
  const record = (sample: ProbeSample, measured: boolean) => {
    const round: RoundRecord = { ops, measured, sample };
    rounds.push(round);
    options.onRound?.(round, rounds.length - 1, Math.max(total + 1, rounds.length));
  };

  for (let i = 0; i < check.warmupRounds; i++) {
    ops += await runLoad(lab, ctx, check, options.signal);
    // Not measured: JIT, lazy initialisation and a TTL cache filling up all happen here.
    record(await until(lab, options.signal, lab.sample(true, { settleMs: check.settleMs })), false);
  }
  const quietGcs = (options.quiet ?? true) ? SETTLING_GCS : 4;
  record(await until(lab, options.signal, lab.sample(true, { gcCount: quietGcs, settleMs: check.settleMs })), true);
  for (let i = 0; i < check.measuredRounds; i++) {
    ops += await runLoad(lab, ctx, check, options.signal);
    record(await until(lab, options.signal, lab.sample(true, { settleMs: check.settleMs })), true);
  }

  // A weak memory-only leak gets a second, fresh window; only that window is judged (memlab's
  // "maybe" → confirm). The first window's rounds stay in the record, marked as not judged.
  const first = rounds.find((round) => round.measured)!;
  const last = rounds[rounds.length - 1]!;
  const counted = last.ops - first.ops;
  const mechanismLeaking = check.mechanism.some((m) => judgeMechanism(m.label, m.read(first.sample), m.read(last.sample), counted).leaking);
  if (needsConfirmation(judgeTrend(rounds, check.series), mechanismLeaking)) {
    for (const round of rounds) if (round !== last) round.measured = false;
    for (let i = 0; i < check.measuredRounds; i++) {
      ops += await runLoad(lab, ctx, check, options.signal);
      record(await until(lab, options.signal, lab.sample(true, { settleMs: check.settleMs })), true);
    }
  }
  return rounds;
}

/** One round of load; a server that stops answering is an error, a crashed one says why it crashed. */
async function runLoad(lab: LabProcess, ctx: LabContext, check: LabCheck, signal?: AbortSignal): Promise<number> {
  const result: LoadResult = await until(lab, signal, check.runRound(ctx, check.roundSize));
  if (result.failed > result.sent * TOLERATED_FAILURES) {
    // A refused connection often arrives before the child's exit is seen: give the crash a moment to show.
    const crashed = await Promise.race([lab.failure, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref())]);
    throw (
      crashed ??
      new LabError('NOT_ANSWERING', {
        file: displayPath(lab.entry),
        lab: /^(\d+)-/.exec(check.labId)?.[1],
        detail: `${result.failed} of ${result.sent} ${check.operation}s failed (first: ${result.firstError ?? 'unknown'})`,
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
  return number ? `leaklab hint ${number}` : 'leaklab help';
}
