/**
 * Which memory number the checker judges. Post-GC "heap objects" is heapUsed without V8's compiled
 * code: the old, young and large-object spaces, where every object a server keeps lives. Compiled
 * code (code_space, and trusted_space from Node 24) grows while V8 compiles the paths a load walks
 * for the first time; the checker runs labs with the optimising tiers off, and leaves code out of the
 * judged number as well, so a learner's fix is judged on what it keeps, not on what V8 compiled.
 * Some leaks live beside the heap (Buffers, typed arrays): those labs add arrayBuffers.
 */
import type { ProbeSample } from '../types.ts';

export type SeriesName = 'heap objects' | 'heap objects + arrayBuffers';

/** The heap spaces that hold JavaScript objects (names as v8.getHeapSpaceStatistics() gives them). */
const OBJECT_SPACES = ['old_space', 'new_space', 'large_object_space', 'new_large_object_space', 'map_space'] as const;

/** Post-GC bytes of JavaScript objects in `sample` (heapUsed when the sample has no per-space figures). */
export function heapObjects(sample: ProbeSample): number {
  const spaces = sample.spaces ?? {};
  if (Object.keys(spaces).length === 0) return sample.heapUsed;
  return OBJECT_SPACES.reduce((sum, name) => sum + (spaces[name] ?? 0), 0);
}

/** The value of `series` in one sample. */
export function seriesValue(series: SeriesName, sample: ProbeSample): number {
  return series === 'heap objects' ? heapObjects(sample) : heapObjects(sample) + sample.arrayBuffers;
}
