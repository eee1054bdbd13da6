/**
 * Why is this object still alive? We walk the graph breadth-first from V8's root along strong edges
 * (weak edges do not keep anything alive), so the first path found to an object is a shortest chain
 * of references that keeps it from being collected: the idea of the "Retainers" pane of Chrome
 * DevTools. One walk serves every path drawn from the same snapshot. Pure: works on a parsed graph.
 */
import type { HeapGraph } from './heap-graph.ts';
import type { PathStep } from './types.ts';

/**
 * For every node, the edge by which a breadth-first walk from the root first reached it along
 * strong (non-weak) edges: following these back gives a shortest retainer path.
 */
export interface RetainerTree {
  /** Edge ordinal that reached node n, -1 for the root and for unreachable nodes. */
  readonly via: Int32Array;
  /** Node that edge comes from. */
  readonly from: Int32Array;
}

/**
 * References made by Leak Lab's own instrumentation, not by the program: the gauge registry
 * (kit/lab-api.ts) hangs off a global symbol and its closures reach the labs' fixtures. Walking
 * through it would explain a leak by our counters instead of the learner's code, so it is skipped.
 */
const INSTRUMENTATION_EDGES = new Set(['<symbol leaklab.gauges>']);

/**
 * Roots that hold objects only while some code runs: the stack and C++ handle scopes. A snapshot
 * taken near the heap limit is written in the middle of an allocation, so the running function's
 * locals reach the leak by a very short path; the reader wants the path that outlives the request.
 * These roots are walked last: a path goes through them only when nothing longer-lived holds it.
 */
const TRANSIENT_ROOTS = new Set(['(Stack roots)', '(Handle scope)']);

export function retainerTree(graph: HeapGraph): RetainerTree {
  const via = new Int32Array(graph.nodeCount).fill(-1);
  const from = new Int32Array(graph.nodeCount).fill(-1);
  const seen = new Uint8Array(graph.nodeCount);
  const queue = new Int32Array(graph.nodeCount);
  const deferred: [edge: number, from: number, to: number][] = [];
  let head = 0;
  let tail = 0;
  queue[tail++] = 0;
  seen[0] = 1;
  const walk = () => {
    while (head < tail) {
      const n = queue[head++]!;
      for (let e = graph.firstEdgeOf(n); e < graph.endEdgeOf(n); e++) {
        const to = graph.edgeTarget(e);
        if (seen[to] || graph.isWeak(e)) continue;
        if (graph.edgeType(e) === 'property' && INSTRUMENTATION_EDGES.has(graph.edgeName(e) as string)) continue;
        if (graph.type(to) === 'synthetic' && TRANSIENT_ROOTS.has(graph.name(to))) {
          deferred.push([e, n, to]);
          continue;
        }
        seen[to] = 1;
        via[to] = e;
        from[to] = n;
        queue[tail++] = to;
      }
    }
  };
  walk();
  for (const [e, n, to] of deferred) {
    if (seen[to]) continue;
    seen[to] = 1;
    via[to] = e;
    from[to] = n;
    queue[tail++] = to;
  }
  walk();
  return { via, from };
}

/** The steps from the root to `target` in a tree, root excluded; undefined when unreachable. */
export function pathInTree(graph: HeapGraph, tree: RetainerTree, target: number): PathStep[] | undefined {
  if (target !== 0 && tree.via[target] === -1) return undefined;
  const steps: PathStep[] = [];
  for (let n = target; n !== 0; n = tree.from[n]!) {
    const e = tree.via[n]!;
    steps.push({
      edgeType: graph.edgeType(e),
      edgeName: graph.edgeName(e),
      nodeType: graph.type(n),
      className: graph.className(n),
      nodeName: graph.name(n),
      nodeId: graph.id(n),
      selfSize: graph.selfSize(n),
    });
  }
  return steps.reverse();
}

/** A shortest chain of strong references from the root to `target` (node ordinal), root excluded. */
export function retainerPath(graph: HeapGraph, target: number): PathStep[] | undefined {
  return pathInTree(graph, retainerTree(graph), target);
}
