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
 *
 * A leak is what stays. Memory a server holds for a while and then frees on a timer (a grace
 * period after a client leaves, a short expiry) grows through a check that is shorter than the
 * hold, exactly like a leak; the reading taken after the load stopped (kit/check.ts waits for it)
 * tells them apart: if it came back to where the measured rounds started, it was held, not kept.
 */
import type { Finding, FunctionalResult, MechanismEvidence, ProbeSample, RoundRecord, Verdict, VerdictStatus } from '../types.ts';
import { seriesValue, type SeriesName } from './series.ts';
import { CONFIDENCE_Z, FLAT_AT_MOST, judgeTrend, type TrendFinding } from './trend.ts';
import { allFeaturesSentence, counterSentence, featureSentence, heapAloneSentence, heldSentence, memorySentence, nextStep, refutedSentence } from './wording.ts';

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

/**
 * What the last of `readings` keeps above `base`, and whether the last two each keep no more than a
 * correct fix keeps over `ops` operations (two, so one low reading cannot excuse a leak).
 */
function keptAbove(base: number, series: SeriesName, readings: readonly ProbeSample[], ops: number): { last: number; likeAFix: boolean } {
  const kept = readings.slice(-2).map((sample) => seriesValue(series, sample) - base);
  return { last: kept[kept.length - 1]!, likeAFix: kept.length === 2 && kept.every((bytes) => bytes <= FLAT_AT_MOST * ops) };
}

/**
 * Bytes still kept after the load stopped, when a leaking trend came back down: the last reading
 * after the load less the first measured one (and less the one-off growth the trend already left
 * out: V8's own steps up, never a drop, which is memory already coming back), when the last two
 * readings kept no more than a correct fix (keptAbove); else undefined.
 */
export function releasedAfterLoad(rounds: readonly RoundRecord[], series: SeriesName, trend: TrendFinding, afterLoad: readonly ProbeSample[]): number | undefined {
  const first = rounds.find((round) => round.measured);
  const ops = measuredOps(rounds);
  if (!first || ops <= 0) return undefined;
  // A grace period freeing a batch mid-rounds reads as a step down (-2.42 MiB on lab 02): adding it
  // back made memory that had come back look kept.
  const oneOff = trend.steps.reduce((sum, step) => sum + Math.max(step, 0), 0);
  const kept = keptAbove(seriesValue(series, first.sample) + oneOff, series, afterLoad, ops);
  return kept.likeAFix ? kept.last : undefined;
}

/**
 * A second look at memory that came back: the same load again, then quiet again. The first
 * readings after the load are compared with the first measured round, which was taken under load:
 * if something there emptied on a timer (a cache's expiry), memory can fall back below a leak that
 * stays. Two quiet moments compare like with like: between them a leak keeps its bytes per
 * operation and a grace period keeps nothing.
 */
export interface ReleaseConfirmation {
  /** Operations of the second load. */
  ops: number;
  /** Readings after it (forced GC each), the last one final. */
  samples: ProbeSample[];
  /** How long after the second load the last reading was taken. */
  waitedMs: number;
}

/**
 * The quiet level after the first load: the higher of its last two readings, so a low one cannot
 * make a correct fix look like it keeps something.
 */
function quietLevel(series: SeriesName, quiet: readonly ProbeSample[]): number {
  return Math.max(...quiet.slice(-2).map((sample) => seriesValue(series, sample)));
}

/**
 * Bytes kept between the quiet readings after the first load (`quiet`) and those after `ops` more
 * (`after`): the last reading's, when it keeps no more than a correct fix (keptAbove); else undefined.
 */
export function keptBetweenQuiet(series: SeriesName, quiet: readonly ProbeSample[], after: readonly ProbeSample[], ops: number): number | undefined {
  if (quiet.length === 0 || ops <= 0) return undefined;
  const kept = keptAbove(quietLevel(series, quiet), series, after, ops);
  return kept.likeAFix ? kept.last : undefined;
}

/** What still leaks once the load has stopped, judged from the readings taken after it. */
export interface AfterLoadJudgement {
  trend: TrendFinding;
  /** Operations between the first and the last measured round. */
  ops: number;
  counters: MechanismEvidence[];
  /** Bytes still kept at the last reading after the load, when that is back where the rounds started; else undefined. */
  cameBack: number | undefined;
  /** The same, once it is an answer: confirmed by the second look, or (without one) a leaking trend's first look. */
  released: number | undefined;
  /** Memory came back after the load, but the second look found it kept: the bytes it kept then. */
  refuted: number | undefined;
  memoryLeaks: boolean;
  leaking: boolean;
}

/**
 * The one place that says whether a server still leaks after the load: a counter that grew, or a
 * memory trend that grew and did not come back. kit/check.ts keeps reading while this says it
 * leaks (up to its wait); decide() gives the verdict from the same answer.
 */
export function judgeAfterLoad(
  rounds: readonly RoundRecord[],
  series: SeriesName,
  mechanism: ReadonlyArray<{ label: string; before: number; after: number }>,
  afterLoad: readonly ProbeSample[],
  confirmation?: ReleaseConfirmation,
): AfterLoadJudgement {
  const trend = memoryTrend(rounds, series);
  const ops = measuredOps(rounds);
  const counters = mechanism.map((m) => judgeCounter(m.label, m.before, m.after, ops));
  // A trend too noisy to read (held memory wobbling from round to round) can be excused too, but
  // only by the second look: quiet compared with quiet is then the evidence.
  const cameBack = trend.decision !== 'flat' ? releasedAfterLoad(rounds, series, trend, afterLoad) : undefined;
  const secondLook = cameBack !== undefined && confirmation ? keptBetweenQuiet(series, afterLoad, confirmation.samples, confirmation.ops) : undefined;
  const confirmed = confirmation ? secondLook !== undefined : trend.decision === 'leak';
  const released = cameBack !== undefined && confirmed ? cameBack : undefined;
  const refuted =
    cameBack !== undefined && confirmation && secondLook === undefined && confirmation.samples.length > 0
      ? keptAbove(quietLevel(series, afterLoad), series, confirmation.samples, confirmation.ops).last
      : undefined;
  const memoryLeaks = trend.decision === 'leak' && released === undefined;
  return { trend, ops, counters, cameBack, released, refuted, memoryLeaks, leaking: memoryLeaks || counters.some((counter) => counter.leaking) };
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
  /** The readings after the load stopped (the last is the final one), and how long the checker waited for held memory to go. */
  afterLoad?: { samples: ProbeSample[]; waitedMs: number; confirmation?: ReleaseConfirmation };
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
  const afterLoad = input.afterLoad;
  const { trend, ops: counterOps, counters, released, refuted, memoryLeaks, leaking } = judgeAfterLoad(input.rounds, input.series, input.mechanism, afterLoad?.samples ?? [], afterLoad?.confirmation);
  const memory: Finding[] = [
    released !== undefined
      ? { rule: 'memory', outcome: 'not-leak', sentence: heldSentence(trend, input.series, op, released, counterOps, afterLoad!.waitedMs, afterLoad!.confirmation?.ops) }
      : refuted !== undefined && trend.decision === 'leak'
        ? { rule: 'memory', outcome: 'leak', sentence: refutedSentence(trend, input.series, op, refuted, afterLoad!.confirmation!.ops) }
        : { rule: 'memory', outcome: trend.decision === 'leak' ? 'leak' : trend.decision === 'flat' ? 'not-leak' : 'undecided', sentence: memorySentence(trend, input.series, op) },
  ];
  if (memoryLeaks && input.series !== 'heap objects') {
    memory.push({ rule: 'memory', outcome: 'leak', sentence: heapAloneSentence(memoryTrend(input.rounds, 'heap objects'), op) });
  }
  const counterFindings: Finding[] = counters.map((m) => ({ rule: 'counter', outcome: m.leaking ? 'leak' : 'not-leak', sentence: counterSentence(m, counterOps, op, input.afterLoad?.waitedMs) }));
  const featureFindings: Finding[] = input.functional.map((check) => ({ rule: 'feature', outcome: check.passed ? 'works' : 'broken', sentence: featureSentence(check) }));

  const broken = input.functional.some((check) => !check.passed);
  const status: VerdictStatus = leaking ? 'leak' : broken ? 'broken' : trend.decision === 'undecided' && released === undefined ? 'inconclusive' : 'pass';

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
    // Held and released: what stayed is the figure, not how fast it grew while held.
    // Held and released below where the rounds started: nothing was kept, as the sentence says.
    bytesPerOp: Math.round(released !== undefined ? Math.max(0, released) / counterOps : trend.bytesPerOp),
    marginPerOp: released !== undefined ? Math.round((CONFIDENCE_Z * trend.noiseBytes) / counterOps) : Number.isFinite(trend.marginPerOp) ? Math.round(trend.marginPerOp) : 0,
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
