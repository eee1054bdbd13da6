/**
 * The comparison the hub shows: a baseline and a later snapshot of one process, compared by
 * constructor, and why the new objects of the constructor that grew are still alive. Steps in
 * order, each reported through `onProgress` so a long comparison shows where it is:
 * read the baseline and boil it down; read the later snapshot; compare; find retainer paths.
 * Only one snapshot's graph is in memory at a time.
 */
import { compareSnapshots, hasId, isInternalClass, summarise, type SnapshotSummary } from './compare.ts';
import { HeapGraph } from './heap-graph.ts';
import { readSnapshotFile } from './parse.ts';
import { newInstancesByClass, representativePath } from './path-shapes.ts';
import { retainerTree } from './retainer-tree.ts';
import { linkToSources } from './sources.ts';
import type { AnalysisProgress, ConstructorDelta, PathStep, SnapshotAnalysis } from './types.ts';
import { describePath, pathInOneLine } from './words.ts';

export interface AnalyseOptions {
  /** How many table rows to keep (default 25). */
  rows?: number;
  /** Source files to link variable and property names to (e.g. the lab's server.ts). */
  sources?: readonly { file: string; text: string }[];
  onProgress?: (progress: AnalysisProgress) => void;
}

/**
 * Named only when nothing more telling grew: containers every program makes by the thousand, and
 * WeakRefs, which hold nothing alive (the labs' fixtures use them to count live objects).
 */
const GENERIC = new Set(['Object', 'Array', 'WeakRef']);

/** A growing constructor and how its new objects are held. */
export interface Explained {
  row: ConstructorDelta;
  found?: { path: PathStep[]; share: number };
}

/** The program's constructors that gained objects, most new objects first: the ones worth explaining. */
export function growingConstructors(rows: readonly ConstructorDelta[], limit = 12): ConstructorDelta[] {
  return rows
    .filter((row) => !isInternalClass(row.name) && row.countDelta > 0)
    .sort((p, q) => q.countDelta - p.countDelta || q.sizeDelta - p.sizeDelta)
    .slice(0, limit);
}

/**
 * The one to show, out of the explained growing constructors (most new objects first): a specific
 * constructor (ServerResponse, Timeout, Map, a class of the lab) whose new objects are held one
 * consistent way, ahead of the plain Objects and Arrays that every leak drags along. Tiers of
 * consistency first (nearly all held the same way, then most), then the most new objects, then the
 * shortest explanation; with no consistent one, the constructor that gained the most.
 */
export function chooseExplained(explained: readonly Explained[]): Explained | undefined {
  if (explained.length === 0) return undefined;
  const minCount = Math.max(10, 0.02 * explained[0]!.row.countDelta);
  const best = (list: readonly Explained[]) =>
    [...list].sort((p, q) => q.row.countDelta - p.row.countDelta || p.found!.path.length - q.found!.path.length)[0];
  for (const tier of [0.9, 0.5]) {
    const consistent = explained.filter((e) => e.found && e.found.share >= tier && e.row.countDelta >= minCount);
    const pick = best(consistent.filter((e) => !GENERIC.has(e.row.name))) ?? best(consistent);
    if (pick) return pick;
  }
  return explained[0];
}

/** Compare a summarised baseline with the later graph and explain the top growth. */
export function analyseGraphs(before: SnapshotSummary, after: HeapGraph, options: AnalyseOptions = {}): SnapshotAnalysis {
  options.onProgress?.({ stage: 'comparing by constructor' });
  const comparison = compareSnapshots(before, after);
  const analysis: SnapshotAnalysis = {
    rows: comparison.rows.slice(0, options.rows ?? 25),
    totalBefore: comparison.totalBefore,
    totalAfter: comparison.totalAfter,
  };
  const growing = growingConstructors(comparison.rows);
  if (growing.length === 0) return analysis;

  // Explain objects that are new since the baseline: those are the ones the leak made. For each
  // growing constructor, find the path shape that holds most of its new objects.
  options.onProgress?.({ stage: 'finding retainer paths' });
  const tree = retainerTree(after);
  const instances = newInstancesByClass(after, new Set(growing.map((row) => row.name)), (id) => !hasId(before.ids, id));
  const explained = growing.map((row, i): Explained => {
    options.onProgress?.({ stage: 'finding retainer paths', fraction: i / growing.length });
    const found = representativePath(after, instances.get(row.name) ?? [], { tree });
    return found ? { row, found } : { row };
  });
  const pick = chooseExplained(explained)!;
  analysis.top = pick.row;
  if (pick.found) {
    analysis.path = linkToSources(describePath(pick.found.path), options.sources ?? []);
    analysis.pathLine = pathInOneLine(pick.found.path);
    analysis.pathShare = pick.found.share;
  }
  return analysis;
}

/** Compare the text of two snapshots of one process (tests and small files). */
export function analyseSnapshots(beforeText: string, afterText: string, options: AnalyseOptions = {}): SnapshotAnalysis {
  return analyseGraphs(summarise(HeapGraph.parse(beforeText)), HeapGraph.parse(afterText), options);
}

/** Compare two snapshot files, reading each in chunks; the baseline's graph is gone before the later one is read. */
export function analyseSnapshotFiles(beforePath: string, afterPath: string, options: AnalyseOptions = {}): SnapshotAnalysis {
  const reading = (stage: AnalysisProgress['stage']) => (read: number, total: number) => options.onProgress?.({ stage, fraction: read / total });
  options.onProgress?.({ stage: 'reading the baseline', fraction: 0 });
  const before = summarise(new HeapGraph(readSnapshotFile(beforePath, reading('reading the baseline'))));
  options.onProgress?.({ stage: 'reading the later snapshot', fraction: 0 });
  const after = new HeapGraph(readSnapshotFile(afterPath, reading('reading the later snapshot')));
  return analyseGraphs(before, after, options);
}
