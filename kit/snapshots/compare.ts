/**
 * Compares two heap snapshots of one process by constructor, like the Comparison view of Chrome
 * DevTools: objects are matched by their snapshot id (stable within a process), so "new" means
 * allocated after the baseline and still alive, "deleted" means alive in the baseline and gone now.
 * Pure: works on parsed graphs.
 */
import type { HeapGraph } from './heap-graph.ts';

/** One row of the comparison table. Sizes are shallow (self) sizes in bytes, as in DevTools. */
export interface ConstructorDelta {
  /** Constructor or category name, e.g. 'LeakedRecord', '(closure)', '(string)'. */
  name: string;
  countBefore: number;
  countAfter: number;
  /** Objects allocated after the baseline that are still alive. */
  added: number;
  /** Objects alive in the baseline that are gone. */
  deleted: number;
  /** added - deleted (= countAfter - countBefore). */
  countDelta: number;
  sizeBefore: number;
  sizeAfter: number;
  sizeDelta: number;
}

export interface SnapshotComparison {
  /** Rows sorted by growth: size delta first, then count delta. */
  rows: ConstructorDelta[];
  totalBefore: number;
  totalAfter: number;
}

/**
 * Category names that are V8 machinery rather than the program's own objects. They are kept in the
 * table but never picked as "the top growing constructor" for a retainer path.
 */
export function isInternalClass(name: string): boolean {
  return name === '' || name.startsWith('(') || name.startsWith('system /');
}

/** Group one snapshot's nodes by class name: count, size and the ids seen. */
function tally(graph: HeapGraph): Map<string, { count: number; size: number }> {
  const byName = new Map<string, { count: number; size: number }>();
  for (let n = 0; n < graph.nodeCount; n++) {
    if (graph.type(n) === 'synthetic') continue; // roots, not objects
    const name = graph.className(n);
    const row = byName.get(name) ?? { count: 0, size: 0 };
    row.count++;
    row.size += graph.selfSize(n);
    byName.set(name, row);
  }
  return byName;
}

/** Compare a baseline snapshot with a later one of the same process. */
export function compareSnapshots(before: HeapGraph, after: HeapGraph): SnapshotComparison {
  const beforeIds = new Set<number>();
  for (let n = 0; n < before.nodeCount; n++) beforeIds.add(before.id(n));
  const afterIds = new Set<number>();
  const added = new Map<string, number>();
  for (let n = 0; n < after.nodeCount; n++) {
    const id = after.id(n);
    afterIds.add(id);
    if (after.type(n) === 'synthetic' || beforeIds.has(id)) continue;
    const name = after.className(n);
    added.set(name, (added.get(name) ?? 0) + 1);
  }
  const deleted = new Map<string, number>();
  for (let n = 0; n < before.nodeCount; n++) {
    if (before.type(n) === 'synthetic' || afterIds.has(before.id(n))) continue;
    const name = before.className(n);
    deleted.set(name, (deleted.get(name) ?? 0) + 1);
  }

  const a = tally(before);
  const b = tally(after);
  const rows: ConstructorDelta[] = [];
  let totalBefore = 0;
  let totalAfter = 0;
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(name) ?? { count: 0, size: 0 };
    const y = b.get(name) ?? { count: 0, size: 0 };
    totalBefore += x.size;
    totalAfter += y.size;
    rows.push({
      name,
      countBefore: x.count,
      countAfter: y.count,
      added: added.get(name) ?? 0,
      deleted: deleted.get(name) ?? 0,
      countDelta: y.count - x.count,
      sizeBefore: x.size,
      sizeAfter: y.size,
      sizeDelta: y.size - x.size,
    });
  }
  rows.sort((p, q) => q.sizeDelta - p.sizeDelta || q.countDelta - p.countDelta || p.name.localeCompare(q.name));
  return { rows, totalBefore, totalAfter };
}

/**
 * The program's own constructor that grew the most: the first row that is not V8 machinery and
 * gained objects. Ranked by count of new objects first (a leak retains one object per operation),
 * then by size.
 */
export function topGrowingConstructor(comparison: SnapshotComparison): ConstructorDelta | undefined {
  return comparison.rows
    .filter((row) => !isInternalClass(row.name) && row.countDelta > 0)
    .sort((p, q) => q.countDelta - p.countDelta || q.sizeDelta - p.sizeDelta)[0];
}
