/**
 * The memory trend, judged: how many bytes a server keeps per operation, read from post-GC samples
 * taken after each round of load. Pure statistics, no I/O.
 *
 * What the readings look like (measured on every lab, Node 20 to 26): a leak adds about the same
 * bytes every round; on top of that each reading wobbles by a few KiB (HTTP labs) to ~100 KiB
 * (socket.io labs), independently from round to round; and now and then V8 makes a one-off move
 * of its own: a step of 10–300 KiB that stays (a table doubling, a pool allocated once), or a
 * spike that is gone at the next reading.
 *
 * So the estimate is a Theil–Sen slope through the readings (the median of all pairwise slopes: a
 * spike moves a few pairs, not the median), after taking out one-off steps (a round whose increment
 * stands far out from all the others, at most one round in five, is given the typical increment
 * instead); and the noise is the median absolute deviation of the readings from that line, which
 * one odd reading cannot inflate. The slope's uncertainty follows from that noise and the spread of
 * the operations, as for a fitted line.
 *
 * The decision is a sequential test between two promises:
 * - flat: confidently below LEAK_AT_LEAST per operation, the smallest leak the checker promises to
 *   catch (every lab's rounds are sized for it; `npm run bench` measures it per lab), and not
 *   confidently above what a correct fix keeps;
 * - leak: confidently above FLAT_AT_MOST per operation, more than any correct fix keeps (reference
 *   and alternative fixes measure 0–80 B per operation in the bench, on Node 20 to 26).
 * "Confidently" means by CONFIDENCE_Z standard errors, and a small leak must also hold over twice
 * the rounds. When neither holds, the checker drives more rounds; if its budget runs out first,
 * the answer is 'undecided', never a guess.
 */

/** A correct fix keeps at most this many bytes per operation (the bench's fixes: 0–80 B). */
export const FLAT_AT_MOST = 100;
/** The smallest retention per operation every lab is sized to catch. */
export const LEAK_AT_LEAST = 200;
/** How many standard errors separate an estimate from a threshold before deciding. */
export const CONFIDENCE_Z = 3;
/** Fewest increments (rounds after the first measured sample) a trend is judged on. */
export const MIN_INCREMENTS = 6;
/** The judged window: the most recent increments, at most this many. */
export const WINDOW_INCREMENTS = 16;
/** The least noise a reading is taken to have, bytes: a perfectly straight run must not make any slope certain. */
export const NOISE_FLOOR = 1024;
/**
 * A one-off step is an increment at least this far from the typical one (and far outside their
 * spread). Below 64 KiB: the commonest step is exactly that, a 64 KiB Buffer pool slab allocated
 * once, which a 64 KiB threshold missed by the typical increment (on Node 26 it made lab 04's
 * reference fix read 197 ± 66 B per connection).
 */
export const STEP_AT_LEAST = 48 * 1024;
/**
 * A leak not certainly above this many bytes per operation must hold over CONFIRM_INCREMENTS rounds
 * before it is called: on the socket.io labs a correct server's readings can drift by 100–400 B per
 * connection over six rounds on a busy machine (Buffer pool slabs and closing sockets settling) and
 * come back later; a real leak keeps growing. Leaks this small are rare and take a few seconds
 * more; the large ones are called at once.
 */
export const CONFIRM_BELOW = 2 * LEAK_AT_LEAST;
/** How many rounds a small leak must hold over. */
export const CONFIRM_INCREMENTS = 2 * MIN_INCREMENTS;

/** What the memory trend says. */
export type TrendDecision = 'leak' | 'flat' | 'undecided';

export interface TrendPoint {
  /** Cumulative operations when the sample was taken. */
  ops: number;
  /** Post-GC bytes of the judged series. */
  bytes: number;
}

export interface TrendFinding {
  decision: TrendDecision;
  /** Bytes kept per operation: the Theil–Sen slope of the readings, one-off steps taken out. */
  bytesPerOp: number;
  /** The estimate's uncertainty: CONFIDENCE_Z standard errors, bytes per operation. */
  marginPerOp: number;
  /** How much a reading wobbles around the line (robust spread of the residuals), bytes. */
  noiseBytes: number;
  /** Operations across the judged window. */
  windowOps: number;
  /** bytesPerOp × windowOps. */
  growthBytes: number;
  /** Increments judged. */
  increments: number;
  /** One-off steps taken out, bytes each. */
  steps: number[];
}

/** The middle value (mean of the two middle ones for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median absolute deviation scaled to a standard deviation for normal noise (× 1.4826). */
export function robustSpread(values: readonly number[]): number {
  const centre = median(values);
  return 1.4826 * median(values.map((value) => Math.abs(value - centre)));
}

/** Theil–Sen: the median of all pairwise slopes, and the median intercept for it. */
export function theilSen(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } {
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) if (xs[j] !== xs[i]) slopes.push((ys[j]! - ys[i]!) / (xs[j]! - xs[i]!));
  }
  const slope = median(slopes);
  return { slope, intercept: median(ys.map((y, i) => y - slope * xs[i]!)) };
}

/**
 * Take out one-off steps: increments far from the typical one after which the readings stay up
 * (or down), at most one in five. A jump that comes back within the next two readings is a spike,
 * not a step, and is left alone: Theil–Sen already ignores it, and treating half of it as a step
 * would bend the line. A jump in the last round cannot be told apart yet, so it stays too.
 * Answers the readings with the steps removed, and the steps' sizes.
 */
export function withoutSteps(points: readonly TrendPoint[]): { points: TrendPoint[]; steps: number[] } {
  const increments = points.slice(1).map((point, i) => point.bytes - points[i]!.bytes);
  const typical = median(increments);
  const threshold = Math.max(6 * robustSpread(increments), STEP_AT_LEAST);
  /** Whether the jump at increment i is undone (to within half) by the increments in `range`. */
  const undone = (i: number, range: number[]) => {
    const jump = increments[i]! - typical;
    let back = 0;
    for (const j of range) {
      back += increments[j]! - typical;
      if (Math.abs(jump + back) < Math.abs(jump) / 2) return true;
    }
    return false;
  };
  const inWindow = (indices: number[]) => indices.filter((j) => j >= 0 && j < increments.length);
  // A step: the readings stay where the jump took them, and the jump does not undo an earlier one.
  const stays = (i: number) => i + 1 < increments.length && !undone(i, inWindow([i + 1, i + 2])) && !undone(i, inWindow([i - 1, i - 2]));
  const steps = increments
    .map((increment, i) => ({ i, deviation: Math.abs(increment - typical) }))
    .filter(({ i, deviation }) => deviation > threshold && stays(i))
    .sort((a, b) => b.deviation - a.deviation)
    .slice(0, Math.floor(increments.length / 5))
    .map(({ i }) => i);
  let level = points[0]?.bytes ?? 0;
  const rebuilt = points.map((point, i) => {
    if (i > 0) level += steps.includes(i - 1) ? typical : increments[i - 1]!;
    return { ops: point.ops, bytes: level };
  });
  return { points: rebuilt, steps: steps.map((i) => increments[i]! - typical) };
}

/** Judge the trend of `points` (in order), using the most recent WINDOW_INCREMENTS increments. */
export function judgeTrend(points: readonly TrendPoint[]): TrendFinding {
  const window = points.slice(-(WINDOW_INCREMENTS + 1));
  const increments = Math.max(window.length - 1, 0);
  const windowOps = increments > 0 ? window[window.length - 1]!.ops - window[0]!.ops : 0;
  if (increments < MIN_INCREMENTS || windowOps <= 0) {
    return { decision: 'undecided', bytesPerOp: 0, marginPerOp: Number.POSITIVE_INFINITY, noiseBytes: 0, windowOps, growthBytes: 0, increments, steps: [] };
  }
  const { points: steady, steps } = withoutSteps(window);
  const xs = steady.map((point) => point.ops);
  const ys = steady.map((point) => point.bytes);
  const fit = theilSen(xs, ys);
  const noiseBytes = Math.max(robustSpread(ys.map((y, i) => y - (fit.slope * xs[i]! + fit.intercept))), NOISE_FLOOR);
  const meanX = xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const spreadX = Math.sqrt(xs.reduce((sum, x) => sum + (x - meanX) ** 2, 0));
  // A fitted line's standard error, with 5% more for Theil–Sen's slightly lower efficiency.
  const marginPerOp = (CONFIDENCE_Z * 1.05 * noiseBytes) / spreadX;
  const bytesPerOp = fit.slope;
  // Confidently above what any correct fix keeps: a leak once it has held long enough.
  const aboveFixes = bytesPerOp - marginPerOp > FLAT_AT_MOST;
  const leak = aboveFixes && (bytesPerOp - marginPerOp >= CONFIRM_BELOW || increments >= CONFIRM_INCREMENTS);
  // Flat only when a correct fix could have kept this much. A small steady retention measured
  // precisely (173 ± 10 B per operation: a replay history never trimmed) is below the size every
  // lab is sized to catch, yet certainly more than a fix keeps: it gets the rounds to confirm it,
  // not a pass.
  const flat = bytesPerOp + marginPerOp < LEAK_AT_LEAST && !aboveFixes;
  const decision: TrendDecision = leak ? 'leak' : flat ? 'flat' : 'undecided';
  return { decision, bytesPerOp, marginPerOp, noiseBytes, windowOps, growthBytes: bytesPerOp * windowOps, increments, steps };
}
