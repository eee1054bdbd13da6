/**
 * The checker's decision, kept pure: numbers in, a Verdict out. No I/O, no clocks, no processes, so
 * the CLI, the hub, the bench and the unit tests all judge with exactly the same rules.
 *
 * The rules (validated by `npm run bench` on fresh runs):
 * - memory: a Theil–Sen slope of post-GC memory against operations over the measured rounds; a
 *   leak when the slope exceeds MIN_BYTES_PER_OP *and* the growth it implies across the window
 *   exceeds GROWTH_OVER_NOISE × the run's own noise (with an absolute floor);
 * - mechanism: exact counters (listeners on a bus, active timers) that grow with the operations are
 *   a leak whatever the slope says: one listener kept per connection is the bug itself;
 * - function: a "fix" that deletes the feature is broken, however flat its memory.
 */
import { formatBytes, plural } from './format.ts';
import type { FunctionalResult, MechanismEvidence, ProbeSample, RoundRecord, Verdict, VerdictStatus } from './types.ts';

/** Below this many retained bytes per operation, growth is not called a leak (fixed servers show 10–30 in the bench). */
export const MIN_BYTES_PER_OP = 100;
/** The growth across the window must exceed this many times the noise floor. */
export const GROWTH_OVER_NOISE = 5;
/** The noise floor never goes below this (bytes): a perfectly straight run must not make 1 byte significant. */
export const ABSOLUTE_NOISE_FLOOR = 16 * 1024;
/** A mechanism counter leaks when it grew by more than this many... */
export const MECHANISM_MIN_DELTA = 2;
/** ...and by more than this fraction of the operations (a partial leak, one in 20, still counts). */
export const MECHANISM_MIN_PER_OP = 0.05;

/**
 * A memory-only leak whose growth is below this many times the noise is confirmed before it is
 * called: V8 sometimes allocates a one-off ~100–250 KB (a table growing, code for a path hit late)
 * and a single step inside a short window can look like a slope. A real leak keeps growing in a
 * fresh window; a step does not.
 */
export const CONFIRM_BELOW_NOISE = 30;
/**
 * The other side of the same doubt: a slope above MIN_BYTES_PER_OP whose growth reached this many
 * times the noise, but not GROWTH_OVER_NOISE, is inconclusive rather than flat. A one-off step that
 * inflated the noise can hide a real ~200 B/op leak (the bench caught 1 in 20); a fresh window
 * settles it either way.
 */
export const INCONCLUSIVE_ABOVE_NOISE = 2.5;

/** Which memory number is judged. Most leaks live in the JS heap; some (Buffers, typed arrays) beside it. */
export type SeriesName = 'heapUsed' | 'heapUsed + arrayBuffers';

/** The value of `series` in one sample. */
export function seriesValue(series: SeriesName, sample: ProbeSample): number {
  return series === 'heapUsed' ? sample.heapUsed : sample.heapUsed + sample.arrayBuffers;
}

/** The middle value (mean of the two middle ones for an even count); 0 for none. */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Theil–Sen: the median of all pairwise slopes, so one odd round cannot tilt the line. */
export function theilSen(xs: number[], ys: number[]): { slope: number; intercept: number } {
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      if (xs[j] !== xs[i]) slopes.push((ys[j]! - ys[i]!) / (xs[j]! - xs[i]!));
    }
  }
  const slope = median(slopes);
  const intercept = median(ys.map((y, i) => y - slope * xs[i]!));
  return { slope, intercept };
}

/**
 * The run's noise: how far the samples stray from the fitted line. The larger of the residuals'
 * standard deviation and their scaled median absolute deviation, never below the absolute floor.
 */
export function noiseFloor(xs: number[], ys: number[], fit: { slope: number; intercept: number }): number {
  const residuals = ys.map((y, i) => y - (fit.slope * xs[i]! + fit.intercept));
  if (residuals.length < 2) return ABSOLUTE_NOISE_FLOOR;
  const mean = residuals.reduce((a, b) => a + b, 0) / residuals.length;
  const std = Math.sqrt(residuals.reduce((a, r) => a + (r - mean) ** 2, 0) / (residuals.length - 1));
  const mad = 1.4826 * median(residuals.map((r) => Math.abs(r - median(residuals))));
  return Math.max(ABSOLUTE_NOISE_FLOOR, std, mad);
}

/** The memory trend of the measured rounds, judged. */
export interface TrendFinding {
  bytesPerOp: number;
  growthBytes: number;
  noiseBytes: number;
  /** Operations between the first and the last measured sample. */
  windowOps: number;
  leaking: boolean;
}

/** Judge the post-GC trend of `series` over the measured rounds. */
export function judgeTrend(rounds: RoundRecord[], series: SeriesName): TrendFinding {
  const measured = rounds.filter((round) => round.measured);
  const xs = measured.map((round) => round.ops);
  const ys = measured.map((round) => seriesValue(series, round.sample));
  if (measured.length < 3) return { bytesPerOp: 0, growthBytes: 0, noiseBytes: ABSOLUTE_NOISE_FLOOR, windowOps: 0, leaking: false };
  const fit = theilSen(xs, ys);
  const windowOps = xs[xs.length - 1]! - xs[0]!;
  const growthBytes = fit.slope * windowOps;
  const noiseBytes = noiseFloor(xs, ys, fit);
  const leaking = fit.slope > MIN_BYTES_PER_OP && growthBytes > GROWTH_OVER_NOISE * noiseBytes;
  return { bytesPerOp: fit.slope, growthBytes, noiseBytes, windowOps, leaking };
}

/**
 * True when the memory trend is in doubt and no exact counter settles it: a leak, but not by much,
 * or not quite a leak although memory grew well above the noise. Then measure a fresh window.
 */
export function needsConfirmation(trend: TrendFinding, mechanismLeaking: boolean): boolean {
  if (mechanismLeaking) return false;
  if (trend.leaking) return trend.growthBytes < CONFIRM_BELOW_NOISE * trend.noiseBytes;
  return trend.bytesPerOp > MIN_BYTES_PER_OP && trend.growthBytes > INCONCLUSIVE_ABOVE_NOISE * trend.noiseBytes;
}

/** A mechanism counter before and after the measured operations, judged. */
export function judgeMechanism(label: string, before: number, after: number, ops: number): MechanismEvidence {
  const delta = after - before;
  const perOp = ops > 0 ? delta / ops : 0;
  const leaking = delta > MECHANISM_MIN_DELTA && perOp > MECHANISM_MIN_PER_OP;
  return { label, before, after, perOp, leaking };
}

/** Everything a verdict is decided from. */
export interface VerdictInput {
  labId: string;
  entry: string;
  operation: string;
  series: SeriesName;
  rounds: RoundRecord[];
  /** Mechanism counters read at the first and the last measured sample. */
  mechanism: Array<{ label: string; before: number; after: number }>;
  functional: FunctionalResult[];
  durationMs: number;
  /** The command that gives the next hint, e.g. 'leaklab hint 01'. */
  hintCommand: string;
  /** What to do after a pass, e.g. 'Next lab: leaklab check 02'. */
  nextOnPass?: string;
}

/** Decide: mechanism, then memory trend, then the feature; reasons in plain sentences. */
export function decide(input: VerdictInput): Verdict {
  const measured = input.rounds.filter((round) => round.measured);
  const windowOps = measured.length > 1 ? measured[measured.length - 1]!.ops - measured[0]!.ops : 0;
  const trend = judgeTrend(input.rounds, input.series);
  const mechanism = input.mechanism.map((m) => judgeMechanism(m.label, m.before, m.after, windowOps));
  const brokenChecks = input.functional.filter((check) => !check.passed);

  const reasons: string[] = [];
  const op = input.operation;
  for (const m of mechanism.filter((m) => m.leaking)) {
    reasons.push(
      `${m.label} went from ${m.before} to ${m.after} over ${windowOps} ${plural(op, windowOps)}: ` +
        `${m.perOp >= 0.95 && m.perOp <= 1.05 ? 'one more per ' + op : `${m.perOp.toFixed(2)} per ${op}`}, and none went away.`,
    );
  }
  const trendSentence =
    `Post-GC ${input.series} changed by ${formatBytes(trend.growthBytes)} over ${trend.windowOps} ${plural(op, trend.windowOps)} ` +
    `(${formatBytes(trend.bytesPerOp)} per ${op}); the run's noise is ${formatBytes(trend.noiseBytes)}.`;
  if (trend.leaking) {
    reasons.push(`${trendSentence} That is more than ${GROWTH_OVER_NOISE}× the noise: memory is kept after every ${op}.`);
    if (input.series !== 'heapUsed') reasons.push(heapOnlySentence(judgeTrend(input.rounds, 'heapUsed'), op));
  }
  for (const check of brokenChecks) reasons.push(`The feature is broken: ${check.name}: ${check.detail}`);

  let status: VerdictStatus;
  if (mechanism.some((m) => m.leaking) || trend.leaking) status = 'leak';
  else if (brokenChecks.length > 0) status = 'broken';
  else {
    status = 'pass';
    reasons.push(`${trendSentence} Flat within the noise: nothing is kept per ${op}.`);
    for (const m of mechanism) reasons.push(`${m.label}: ${m.before} before, ${m.after} after.`);
    if (input.functional.length > 0) reasons.push(`All ${input.functional.length} feature checks passed.`);
  }

  return {
    labId: input.labId,
    entry: input.entry,
    status,
    operation: input.operation,
    bytesPerOp: Math.round(trend.bytesPerOp),
    series: input.series,
    growthBytes: Math.round(trend.growthBytes),
    noiseBytes: Math.round(trend.noiseBytes),
    rounds: input.rounds,
    mechanism,
    functional: input.functional,
    reasons,
    next: status === 'pass' ? (input.nextOnPass ?? 'Well done: memory stays flat and the feature works.') : `Stuck? Run \`${input.hintCommand}\` for a hint.`,
    durationMs: input.durationMs,
  };
}

/**
 * When the judged series includes memory outside the JS heap, say what heapUsed alone shows: a
 * dashboard or a check that watches only heapUsed would call this leak flat (labs 04 and 05).
 */
function heapOnlySentence(heapOnly: TrendFinding, op: string): string {
  const figures = `${formatBytes(heapOnly.bytesPerOp)} per ${op}, ${formatBytes(heapOnly.growthBytes)} against ${formatBytes(heapOnly.noiseBytes)} of noise`;
  return heapOnly.leaking
    ? `heapUsed alone grows too (${figures}): part of what is kept lives in the JS heap.`
    : `heapUsed alone looks flat (${figures}): watching only heapUsed would have missed this leak, which lives outside the JS heap (arrayBuffers).`;
}

/** The verdict when the lab could not be run at all (the message comes from the error catalogue). */
export function errorVerdict(input: { labId: string; entry: string; operation: string; message: string; durationMs: number; next?: string }): Verdict {
  return {
    labId: input.labId,
    entry: input.entry,
    status: 'error',
    operation: input.operation,
    bytesPerOp: 0,
    series: 'heapUsed',
    growthBytes: 0,
    noiseBytes: 0,
    rounds: [],
    mechanism: [],
    functional: [],
    reasons: [input.message],
    next: input.next ?? 'Fix what the message above names, then check again.',
    durationMs: input.durationMs,
  };
}
