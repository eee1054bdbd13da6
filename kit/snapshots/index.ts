/**
 * Heap snapshot analysis for the hub and the tests: parse a `.heapsnapshot`, compare two by
 * constructor, and explain why the top growing constructor's objects are still alive.
 * `analyseSnapshots` is the one call the hub makes; the pieces are exported for tests and tools.
 */
import { HeapGraph } from './heap-graph.ts';
import { compareSnapshots, isInternalClass, type ConstructorDelta } from './compare.ts';
import { instancesOf, linkToSources, pathInOneLine, representativePath, retainerTree, type RetainerStep } from './retainers.ts';

export { HeapGraph, SnapshotFormatError } from './heap-graph.ts';
export { compareSnapshots, topGrowingConstructor, isInternalClass, type ConstructorDelta, type SnapshotComparison } from './compare.ts';
export { retainerPath, retainerTree, pathInTree, representativePath, instancesOf, foldRepeats, nameShape, findInSources, linkToSources, pathInOneLine, type RetainerStep, type SourceLine } from './retainers.ts';

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

/**
 * Named only when nothing more telling grew: containers every program makes by the thousand, and
 * WeakRefs, which hold nothing alive (the labs' fixtures use them to count live objects).
 */
const GENERIC = new Set(['Object', 'Array', 'WeakRef']);

/** Compare the text of two snapshots of one process and explain the top growth. */
export function analyseSnapshots(beforeText: string, afterText: string, options: AnalyseOptions = {}): SnapshotAnalysis {
  const before = HeapGraph.parse(beforeText);
  const after = HeapGraph.parse(afterText);
  const comparison = compareSnapshots(before, after);
  const analysis: SnapshotAnalysis = {
    rows: comparison.rows.slice(0, options.rows ?? 25),
    totalBefore: comparison.totalBefore,
    totalAfter: comparison.totalAfter,
  };
  const growing = comparison.rows
    .filter((row) => !isInternalClass(row.name) && row.countDelta > 0)
    .sort((p, q) => q.countDelta - p.countDelta || q.sizeDelta - p.sizeDelta)
    .slice(0, 12);
  if (growing.length === 0) return analysis;

  // Explain objects that are new since the baseline: those are the ones the leak made. For each
  // growing constructor, find the path shape that holds most of its new objects.
  const oldIds = new Set<number>();
  for (let n = 0; n < before.nodeCount; n++) oldIds.add(before.id(n));
  const tree = retainerTree(after);
  const explained = growing.map((row) => ({ row, found: representativePath(after, instancesOf(after, row.name, oldIds), { tree }) }));

  // The one to show: a specific constructor (ServerResponse, Timeout, Map, a class of the lab)
  // whose new objects are held one consistent way, ahead of the plain Objects and Arrays that every
  // leak drags along. Tiers of consistency first (all held the same way, then most), then the
  // most new objects, then the shortest explanation.
  const minCount = Math.max(10, 0.02 * growing[0]!.countDelta);
  const rank = (list: typeof explained) =>
    [...list].sort((p, q) => q.row.countDelta - p.row.countDelta || p.found!.path.length - q.found!.path.length)[0];
  let pick: (typeof explained)[number] | undefined;
  for (const tier of [0.9, 0.5]) {
    const consistent = explained.filter((e) => e.found && e.found.share >= tier && e.row.countDelta >= minCount);
    pick = rank(consistent.filter((e) => !GENERIC.has(e.row.name))) ?? rank(consistent);
    if (pick) break;
  }
  pick ??= explained[0]!;

  analysis.top = pick.row;
  if (pick.found) {
    analysis.path = linkToSources(pick.found.path, options.sources ?? []);
    analysis.pathLine = pathInOneLine(pick.found.path);
    analysis.pathShare = pick.found.share;
  }
  return analysis;
}
