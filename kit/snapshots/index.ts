/**
 * Heap snapshot analysis for the hub and the tests: parse a `.heapsnapshot`, compare two by
 * constructor, and explain why the top growing constructor's objects are still alive.
 * `analyseSnapshots` is the one call the hub makes; the pieces are exported for tests and tools.
 */
import { HeapGraph } from './heap-graph.ts';
import { compareSnapshots, topGrowingConstructor, type ConstructorDelta } from './compare.ts';
import { instancesOf, linkToSources, pathInOneLine, representativePath, type RetainerStep } from './retainers.ts';

export { HeapGraph, SnapshotFormatError } from './heap-graph.ts';
export { compareSnapshots, topGrowingConstructor, isInternalClass, type ConstructorDelta, type SnapshotComparison } from './compare.ts';
export { retainerPath, retainerTree, pathInTree, representativePath, instancesOf, findInSources, linkToSources, pathInOneLine, type RetainerStep, type SourceLine } from './retainers.ts';

/** What the hub shows after a baseline and a later snapshot. */
export interface SnapshotAnalysis {
  /** The comparison table, biggest growth first (limited to `rows` entries). */
  rows: ConstructorDelta[];
  /** Total shallow size of each snapshot, bytes. */
  totalBefore: number;
  totalAfter: number;
  /** The program's constructor that gained the most objects, if any did. */
  top?: ConstructorDelta;
  /** Why one new instance of `top` is alive: root first. */
  path?: RetainerStep[];
  /** Share (0–1) of the sampled new instances kept alive by a path of this same shape. */
  pathShare?: number;
  /** The path on one line. */
  pathLine?: string;
}

export interface AnalyseOptions {
  /** How many table rows to keep (default 25). */
  rows?: number;
  /** Source files to link variable and property names to (e.g. the lab's server.ts). */
  sources?: readonly { file: string; text: string }[];
}

/** Compare the text of two snapshots of one process and explain the top growth. */
export function analyseSnapshots(beforeText: string, afterText: string, options: AnalyseOptions = {}): SnapshotAnalysis {
  const before = HeapGraph.parse(beforeText);
  const after = HeapGraph.parse(afterText);
  const comparison = compareSnapshots(before, after);
  const top = topGrowingConstructor(comparison);
  const analysis: SnapshotAnalysis = {
    rows: comparison.rows.slice(0, options.rows ?? 25),
    totalBefore: comparison.totalBefore,
    totalAfter: comparison.totalAfter,
    top,
  };
  if (!top) return analysis;
  // Explain objects that are new since the baseline: those are the ones the leak made.
  const oldIds = new Set<number>();
  for (let n = 0; n < before.nodeCount; n++) oldIds.add(before.id(n));
  const found = representativePath(after, instancesOf(after, top.name, oldIds));
  if (found) {
    analysis.path = linkToSources(found.path, options.sources ?? []);
    analysis.pathLine = pathInOneLine(found.path);
    analysis.pathShare = found.share;
  }
  return analysis;
}
