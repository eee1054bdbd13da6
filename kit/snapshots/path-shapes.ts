/**
 * Grouping retainer paths: a leak keeps its objects the same way, so among the paths of many new
 * objects of one class, the most common shape is the leak's. Names made per key (an event name per
 * order, a Map key per id) and element indexes do not count as differences, and a chain that
 * repeats (each price table keeping the previous one alive) is folded into one counted step.
 * Pure: works on a parsed graph and its retainer tree.
 */
import type { HeapGraph } from './heap-graph.ts';
import { pathInTree, retainerTree, type RetainerTree } from './retainer-tree.ts';
import type { PathStep } from './types.ts';

/**
 * A property name as a shape: every run of letters and digits that holds a digit becomes `#`, so
 * names made per key (`payment:o0001ab`, `c-42`, a UUID) read the same while fixed names (`cache`,
 * `_events`) stay themselves. One event name per order, one Map key per id: the path is the same.
 */
export function nameShape(name: string | number): string {
  return String(name).replace(/[A-Za-z0-9_]*\d[A-Za-z0-9_]*/g, '#');
}

/** One step's identity for comparing paths: element indexes, numbered slots and per-key names do not count. */
function stepKey(step: PathStep, ignoreName = false): string {
  if (step.repeat) return `repeat:${step.repeat.links}`;
  const name = ignoreName || step.edgeType === 'element' ? '#' : nameShape(step.edgeName);
  return `${step.edgeType}:${name}>${step.className}`;
}

/**
 * Folds a run of identical links into the links once and one step that says how often they repeat.
 * A chain leak makes paths hundreds of steps long that are the same few links again and again; the
 * reader needs the links once and the count.
 */
export function foldRepeats(steps: readonly PathStep[], minRepeats = 3): PathStep[] {
  const keys = steps.map((step) => stepKey(step));
  const same = (a: number, b: number, length: number) => {
    for (let j = 0; j < length; j++) if (keys[a + j] !== keys[b + j]) return false;
    return true;
  };
  const out: PathStep[] = [];
  let i = 0;
  while (i < steps.length) {
    let folded = false;
    for (let links = 1; links <= 6 && i + links * minRepeats <= steps.length; links++) {
      let reps = 1;
      while (i + (reps + 1) * links <= steps.length && same(i, i + reps * links, links)) reps++;
      if (reps < minRepeats) continue;
      out.push(...steps.slice(i, i + links));
      out.push({ edgeType: 'repeat', edgeName: '', nodeType: 'repeat', className: '', nodeName: '', nodeId: -1, selfSize: 0, repeat: { links, times: reps - 1 } });
      i += reps * links;
      folded = true;
      break;
    }
    if (!folded) out.push(steps[i++]!);
  }
  return out;
}

/**
 * The shape of a (folded) path, for grouping: the objects and variable names it goes through,
 * without element indexes, repeat counts, or the last edge's name (a cache entry's key differs
 * for every entry).
 */
function shapeOf(steps: readonly PathStep[]): string {
  return steps.map((step, i) => stepKey(step, i === steps.length - 1)).join('|');
}

/**
 * The retainer path that explains most of `candidates` (node ordinals, e.g. the new instances of a
 * growing constructor), and the share of the sampled candidates held that way. A stray instance held
 * by a running function is not picked over the leak's path. Looks at up to `limit` candidates spread
 * evenly over the list. Paths come back folded.
 */
export function representativePath(
  graph: HeapGraph,
  candidates: readonly number[],
  options: { tree?: RetainerTree; limit?: number } = {},
): { path: PathStep[]; share: number } | undefined {
  if (candidates.length === 0) return undefined;
  const tree = options.tree ?? retainerTree(graph);
  const stride = Math.max(1, Math.floor(candidates.length / (options.limit ?? 200)));
  const groups = new Map<string, { path: PathStep[]; count: number }>();
  let looked = 0;
  for (let i = 0; i < candidates.length; i += stride) {
    const raw = pathInTree(graph, tree, candidates[i]!);
    if (!raw) continue;
    looked++;
    const path = foldRepeats(raw);
    const shape = shapeOf(path);
    const group = groups.get(shape);
    if (group) {
      group.count++;
      if (path.length < group.path.length) group.path = path;
    } else groups.set(shape, { path, count: 1 });
  }
  let best: { path: PathStep[]; count: number } | undefined;
  for (const group of groups.values()) if (!best || group.count > best.count) best = group;
  return best ? { path: best.path, share: best.count / looked } : undefined;
}

/**
 * Node ordinals of the objects of each class in `classNames` that are new (`isNew(id)`), in one
 * pass over the graph.
 */
export function newInstancesByClass(graph: HeapGraph, classNames: ReadonlySet<string>, isNew: (id: number) => boolean): Map<string, number[]> {
  const found = new Map<string, number[]>([...classNames].map((name) => [name, []]));
  for (let n = 0; n < graph.nodeCount; n++) {
    const list = found.get(graph.className(n));
    if (list && isNew(graph.id(n))) list.push(n);
  }
  return found;
}
