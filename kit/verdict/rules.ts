/**
 * The decision, kept pure: numbers in, a Verdict out. No I/O, no clocks, no processes, so the CLI,
 * the hub, the bench and the unit tests all judge with exactly the same rules.
 *
 * Each rule answers for itself (memlab's leak filters are the model):
 * - memory: the post-GC trend per operation (trend.ts): leak, not a leak, or undecided;
 * - counters: exact counts (listeners on a bus, active timers, upload bodies alive) that grow with
 *   the operations are a leak whatever the memory says: one listener kept per connection is the bug;
 * - features: a "fix" that deletes or breaks the feature is broken, however flat its memory.
 * Then one place combines them: a leak from any rule, else a broken feature, else undecided memory
 * (inconclusive), else a pass. A leak never hides a broken feature: both are reported.
 */
import type { Finding, FunctionalResult, MechanismEvidence, RoundRecord, Verdict, VerdictStatus } from '../types.ts';
import { seriesValue, type SeriesName } from './series.ts';
import { judgeTrend, type TrendFinding } from './trend.ts';
import { allFeaturesSentence, counterSentence, featureSentence, heapAloneSentence, memorySentence, nextStep } from './wording.ts';

/** A counter leaks when it grew by more than this many... */
export const COUNTER_MIN_DELTA = 2;
/** ...and by more than this fraction of the operations (a partial leak, one in 20, still counts). */
export const COUNTER_MIN_PER_OP = 0.05;

/** The trend of `series` over the measured rounds. */
export function memoryTrend(rounds: readonly RoundRecord[], series: SeriesName): TrendFinding {
  return judgeTrend(rounds.filter((round) => round.measured).map((round) => ({ ops: round.ops, bytes: seriesValue(series, round.sample) })));
}

/** An exact counter before and after `ops` operations, judged. */
export function judgeCounter(label: string, before: number, after: number, ops: number): MechanismEvidence {
  const delta = after - before;
  const perOp = ops > 0 ? delta / ops : 0;
  return { label, before, after, perOp, leaking: delta > COUNTER_MIN_DELTA && perOp > COUNTER_MIN_PER_OP };
}

/** Operations between the first and the last measured round. */
export function measuredOps(rounds: readonly RoundRecord[]): number {
  const measured = rounds.filter((round) => round.measured);
  return measured.length > 1 ? measured[measured.length - 1]!.ops - measured[0]!.ops : 0;
}

/** Everything a verdict is decided from. */
export interface VerdictInput {
  labId: string;
  entry: string;
  operation: string;
  series: SeriesName;
  rounds: RoundRecord[];
  /** Counters read at the first measured round and after the load stopped. */
  mechanism: Array<{ label: string; before: number; after: number }>;
  functional: FunctionalResult[];
  durationMs: number;
  /** The command that gives the next hint, e.g. 'leaklab hint 01'. */
  hintCommand: string;
  /** What to do after a pass, e.g. 'Next lab: leaklab check 02'. */
  nextOnPass?: string;
}

/** Apply every rule and combine their findings into the verdict. */
export function decide(input: VerdictInput): Verdict {
  const op = input.operation;
  const trend = memoryTrend(input.rounds, input.series);
  const counterOps = measuredOps(input.rounds);
  const counters = input.mechanism.map((m) => judgeCounter(m.label, m.before, m.after, counterOps));

  const memory: Finding[] = [{ rule: 'memory', outcome: trend.decision === 'leak' ? 'leak' : trend.decision === 'flat' ? 'not-leak' : 'undecided', sentence: memorySentence(trend, input.series, op) }];
  if (trend.decision === 'leak' && input.series !== 'heap objects') {
    memory.push({ rule: 'memory', outcome: 'leak', sentence: heapAloneSentence(memoryTrend(input.rounds, 'heap objects'), op) });
  }
  const counterFindings: Finding[] = counters.map((m) => ({ rule: 'counter', outcome: m.leaking ? 'leak' : 'not-leak', sentence: counterSentence(m, counterOps, op) }));
  const featureFindings: Finding[] = input.functional.map((check) => ({ rule: 'feature', outcome: check.passed ? 'works' : 'broken', sentence: featureSentence(check) }));

  const leaking = counters.some((m) => m.leaking) || trend.decision === 'leak';
  const broken = input.functional.some((check) => !check.passed);
  const status: VerdictStatus = leaking ? 'leak' : broken ? 'broken' : trend.decision === 'undecided' ? 'inconclusive' : 'pass';

  // Most telling first: what leaks, what is broken, what is undecided, then what is fine.
  const rank = (finding: Finding) => ['leak', 'broken', 'undecided', 'not-leak', 'works'].indexOf(finding.outcome);
  const findings = [...counterFindings.filter((f) => f.outcome === 'leak'), ...memory, ...counterFindings.filter((f) => f.outcome !== 'leak'), ...featureFindings]
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => rank(a.finding) - rank(b.finding) || a.index - b.index)
    .map(({ finding }) => finding);
  const reasons = findings.filter((f) => f.rule !== 'feature' || f.outcome === 'broken').map((f) => f.sentence);
  if (!broken && input.functional.length > 0) reasons.push(allFeaturesSentence(input.functional.length));

  return {
    labId: input.labId,
    entry: input.entry,
    status,
    operation: op,
    bytesPerOp: Math.round(trend.bytesPerOp),
    marginPerOp: Number.isFinite(trend.marginPerOp) ? Math.round(trend.marginPerOp) : 0,
    series: input.series,
    windowOps: trend.windowOps,
    growthBytes: Math.round(trend.growthBytes),
    noiseBytes: Math.round(trend.noiseBytes),
    rounds: input.rounds,
    mechanism: counters,
    functional: input.functional,
    findings,
    reasons,
    next: nextStep(status, input.hintCommand, input.nextOnPass),
    durationMs: input.durationMs,
  };
}

/** The verdict when the lab could not be run at all (the message comes from the error catalogue). */
export function errorVerdict(input: { labId: string; entry: string; operation: string; message: string; durationMs: number; next?: string }): Verdict {
  return {
    labId: input.labId,
    entry: input.entry,
    status: 'error',
    operation: input.operation,
    bytesPerOp: 0,
    marginPerOp: 0,
    series: 'heap objects',
    windowOps: 0,
    growthBytes: 0,
    noiseBytes: 0,
    rounds: [],
    mechanism: [],
    functional: [],
    findings: [],
    reasons: [input.message],
    next: input.next ?? nextStep('error', ''),
    durationMs: input.durationMs,
  };
}
