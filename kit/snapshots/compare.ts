/**
 * Compares two heap snapshots of one process by constructor, like the Comparison view of Chrome
 * DevTools: objects are matched by their snapshot id (stable within a process), so "new" means
 * allocated after the baseline and still alive, "deleted" means alive in the baseline and gone now.
 *
 * The baseline is first boiled down to a summary (its object ids, sorted, with their class), so
 * the baseline's graph can be dropped before the later snapshot is read: only one graph is ever in
 * memory. Pure: works on parsed graphs.
 */
import type { HeapGraph } from './heap-graph.ts';
import type { ConstructorDelta } from './types.ts';

export interface SnapshotComparison {
  /** Rows sorted by growth: size delta first, then count delta. */
  rows: ConstructorDelta[];
  totalBefore: number;
  totalAfter: number;
}

/** What the comparison needs from the baseline: each object's id and class, sorted by id. */
export interface SnapshotSummary {
  /** Object ids, ascending (synthetic roots left out). */
  ids: Uint32Array;
  /** classes[i] indexes classNames for the object ids[i]. */
  classes: Uint32Array;
  classNames: string[];
  /** Per class name: how many objects and their total shallow size. */
  tally: Map<string, { count: number; size: number }>;
}

/**
 * Category names that are V8 machinery rather than the program's own objects. They are kept in the
 * table but never picked as "the top growing constructor" for a retainer path.
 */
export function isInternalClass(name: string): boolean {
  return name === '' || name.startsWith('(') || name.startsWith('system /');
}

/** Boil a snapshot down to what a later comparison needs. */
export function summarise(graph: HeapGraph): SnapshotSummary {
  const classIndex = new Map<string, number>();
  const classNames: string[] = [];
  const tally = new Map<string, { count: number; size: number }>();
  // id and class packed in one float64 (id × 2^21 + class: exact below 2^53), so one native numeric
  // sort orders both without an index array.
  const CLASS_SLOTS = 2 ** 21;
  const packed = new Float64Array(graph.nodeCount);
  let n = 0;
  for (let node = 0; node < graph.nodeCount; node++) {
    if (graph.type(node) === 'synthetic') continue; // roots, not objects
    const name = graph.className(node);
    let index = classIndex.get(name);
    if (index === undefined) {
      index = classNames.length;
      if (index >= CLASS_SLOTS) throw new Error('heap snapshot has too many distinct classes to compare');
      classIndex.set(name, index);
      classNames.push(name);
    }
    const row = tally.get(name) ?? { count: 0, size: 0 };
    row.count++;
    row.size += graph.selfSize(node);
    tally.set(name, row);
    packed[n++] = graph.id(node) * CLASS_SLOTS + index;
  }
  const sorted = packed.subarray(0, n).sort();
  const ids = new Uint32Array(n);
  const classes = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const key = sorted[i]!;
    ids[i] = Math.floor(key / CLASS_SLOTS);
    classes[i] = key % CLASS_SLOTS;
  }
  return { ids, classes, classNames, tally };
}

/** True when `id` is one of the summary's objects (binary search). */
export function hasId(ids: Uint32Array, id: number): boolean {
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = ids[mid]!;
    if (at === id) return true;
    if (at < id) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

/** Compare a baseline (summarised) with a later snapshot of the same process. */
export function compareSnapshots(before: SnapshotSummary, after: HeapGraph): SnapshotComparison {
  const afterTally = new Map<string, { count: number; size: number }>();
  const added = new Map<string, number>();
  const afterIds = new Uint32Array(after.nodeCount);
  let n = 0;
  for (let node = 0; node < after.nodeCount; node++) {
    if (after.type(node) === 'synthetic') continue;
    const name = after.className(node);
    const id = after.id(node);
    afterIds[n++] = id;
    const row = afterTally.get(name) ?? { count: 0, size: 0 };
    row.count++;
    row.size += after.selfSize(node);
    afterTally.set(name, row);
    if (!hasId(before.ids, id)) added.set(name, (added.get(name) ?? 0) + 1);
  }
  const sortedAfter = afterIds.subarray(0, n).sort();
  const deleted = new Map<string, number>();
  for (let i = 0; i < before.ids.length; i++) {
    if (hasId(sortedAfter, before.ids[i]!)) continue;
    const name = before.classNames[before.classes[i]!]!;
    deleted.set(name, (deleted.get(name) ?? 0) + 1);
  }

  const rows: ConstructorDelta[] = [];
  let totalBefore = 0;
  let totalAfter = 0;
  for (const name of new Set([...before.tally.keys(), ...afterTally.keys()])) {
    const x = before.tally.get(name) ?? { count: 0, size: 0 };
    const y = afterTally.get(name) ?? { count: 0, size: 0 };
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
