/**
 * The practice mode's decisions, kept free of the DOM and of storage so they can be tested on their
 * own: what the saved progress means, what a rating changes, and which question comes next.
 */

export type Rating = 'again' | 'good' | 'easy';
export const RATINGS: readonly Rating[] = ['again', 'good', 'easy'];

export interface RatingRecord {
  /** The learner's latest rating of this question. */
  rating: Rating;
  /** How many times it has been rated. */
  times: number;
  /** When it was last rated, milliseconds since the epoch. */
  at: number;
}

export interface Progress {
  version: 1;
  ratings: Record<string, RatingRecord>;
}

/** localStorage key; bump the version suffix if the stored shape ever changes. */
export const STORAGE_KEY = 'leaklab.interview-practice.v1';

/**
 * How likely a question is to come up next, relative to the others: questions rated "again" most,
 * unseen ones next, "easy" ones rarely (but never zero: everything comes back eventually).
 */
export const WEIGHTS: Readonly<Record<Rating | 'unseen', number>> = { again: 6, unseen: 4, good: 2, easy: 1 };

export function emptyProgress(): Progress {
  return { version: 1, ratings: {} };
}

function isRating(value: unknown): value is Rating {
  return typeof value === 'string' && (RATINGS as readonly string[]).includes(value);
}

/**
 * Read saved progress. Anything unreadable (no value, broken JSON, another version) gives empty
 * progress rather than an error, and ratings of questions that no longer exist are dropped.
 */
export function parseProgress(raw: string | null, knownIds: readonly string[]): Progress {
  if (raw === null) return emptyProgress();
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return emptyProgress();
  }
  if (typeof data !== 'object' || data === null || (data as { version?: unknown }).version !== 1) return emptyProgress();
  const stored = (data as { ratings?: unknown }).ratings;
  const progress = emptyProgress();
  if (typeof stored !== 'object' || stored === null) return progress;
  for (const id of knownIds) {
    const record = (stored as Record<string, unknown>)[id];
    if (typeof record !== 'object' || record === null) continue;
    const { rating, times, at } = record as Record<string, unknown>;
    if (isRating(rating) && typeof times === 'number' && times >= 1 && typeof at === 'number') {
      progress.ratings[id] = { rating, times: Math.floor(times), at };
    }
  }
  return progress;
}

/** Progress after rating question `id`; the input is not modified. */
export function rate(progress: Progress, id: string, rating: Rating, now: number): Progress {
  const previous = progress.ratings[id];
  return {
    version: 1,
    ratings: { ...progress.ratings, [id]: { rating, times: (previous?.times ?? 0) + 1, at: now } },
  };
}

export interface Summary {
  total: number;
  /** Questions rated at least once. */
  rated: number;
  again: number;
  good: number;
  easy: number;
}

export function summarize(progress: Progress, ids: readonly string[]): Summary {
  const summary: Summary = { total: ids.length, rated: 0, again: 0, good: 0, easy: 0 };
  for (const id of ids) {
    const record = progress.ratings[id];
    if (!record) continue;
    summary.rated++;
    summary[record.rating]++;
  }
  return summary;
}

/** One line for the progress counter, e.g. "3 of 20 questions rated (again 1, good 1, easy 1)". */
export function describeSummary(summary: Summary): string {
  const counts = `again ${summary.again}, good ${summary.good}, easy ${summary.easy}`;
  return `${summary.rated} of ${summary.total} questions rated (${counts})`;
}

/**
 * Choose the next question at random, weighted by the learner's ratings, never repeating `currentId`
 * when there is any other question. `random` returns a number in [0, 1), like Math.random.
 */
export function pickNext(ids: readonly string[], progress: Progress, currentId: string | null, random: () => number): string {
  if (ids.length === 0) throw new Error('pickNext needs at least one question');
  const candidates = ids.length > 1 ? ids.filter((id) => id !== currentId) : ids;
  const weights = candidates.map((id) => WEIGHTS[progress.ratings[id]?.rating ?? 'unseen']);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let point = random() * total;
  for (const [index, weight] of weights.entries()) {
    point -= weight;
    if (point < 0) return candidates[index]!;
  }
  return candidates[candidates.length - 1]!;
}
