/**
 * Retainer paths: why is this object still alive? We walk the graph breadth-first from V8's root
 * along strong edges (weak edges do not keep anything alive), so the first path found to an object
 * is a shortest chain of references that keeps it from being collected, the same idea as the
 * "Retainers" pane of Chrome DevTools. Each step is then put in plain words for a learner.
 * Pure: works on a parsed graph and on source text handed in by the caller.
 */
import type { HeapGraph } from './heap-graph.ts';

/** One link of a retainer path: the reference taken, and the object it leads to. */
export interface RetainerStep {
  /** V8's edge type: 'context' (a variable in a scope), 'property', 'element', 'internal', ... */
  edgeType: string;
  /** The variable or property name, or the index for elements. */
  edgeName: string | number;
  /** The object reached. */
  nodeType: string;
  className: string;
  /** For closures the function name, for objects the constructor name. */
  nodeName: string;
  nodeId: number;
  selfSize: number;
  /** The step in plain words, e.g. "variable `cache` (in a scope) → an Object". */
  words: string;
  /** Where the variable or property is declared in the lab's source, when we could find it. */
  source?: SourceLine;
}

export interface SourceLine {
  /** The file as the caller named it (e.g. 'labs/01-unbounded-cache/server.ts'). */
  file: string;
  /** 1-based line number. */
  line: number;
  /** The line's text, trimmed. */
  text: string;
}

/**
 * For every node, the edge by which a breadth-first walk from the root first reached it along
 * strong (non-weak) edges: following these back gives a shortest retainer path. One walk serves
 * every path we draw from the same snapshot.
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
        if (seen[to] || graph.edgeType(e) === 'weak') continue;
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
export function pathInTree(graph: HeapGraph, tree: RetainerTree, target: number): RetainerStep[] | undefined {
  if (target !== 0 && tree.via[target] === -1) return undefined;
  const steps: RetainerStep[] = [];
  for (let n = target; n !== 0; n = tree.from[n]!) {
    const e = tree.via[n]!;
    const step = {
      edgeType: graph.edgeType(e),
      edgeName: graph.edgeName(e),
      nodeType: graph.type(n),
      className: graph.className(n),
      nodeName: graph.name(n),
      nodeId: graph.id(n),
      selfSize: graph.selfSize(n),
    };
    steps.unshift({ ...step, words: describeStep(step) });
  }
  return steps;
}

/** A shortest chain of strong references from the root to `target` (node ordinal), root excluded. */
export function retainerPath(graph: HeapGraph, target: number): RetainerStep[] | undefined {
  return pathInTree(graph, retainerTree(graph), target);
}

/**
 * A property name as a shape: every run of letters and digits that holds a digit becomes `#`, so
 * names made per key (`payment:o0001ab`, `c-42`, a UUID) read the same while fixed names (`cache`,
 * `_events`) stay themselves. One event name per order, one Map key per id: the path is the same.
 */
export function nameShape(name: string | number): string {
  return String(name).replace(/[A-Za-z0-9_]*\d[A-Za-z0-9_]*/g, '#');
}

/** One step's identity for comparing paths: element indexes, numbered slots and per-key names do not count. */
function stepKey(step: RetainerStep, ignoreName = false): string {
  const name = ignoreName || step.edgeType === 'element' ? '#' : nameShape(step.edgeName);
  return `${step.edgeType}:${name}>${step.className}`;
}

/**
 * Folds a run of identical links into one step that says how often it repeats. A chain leak (each
 * price table keeping the previous one alive) makes paths hundreds of steps long that are the same
 * few links again and again; the reader needs the links once and the count.
 */
export function foldRepeats(steps: readonly RetainerStep[], minRepeats = 3): RetainerStep[] {
  const keys = steps.map((step) => stepKey(step));
  const out: RetainerStep[] = [];
  let i = 0;
  while (i < steps.length) {
    let folded = false;
    for (let k = 1; k <= 6 && i + k * minRepeats <= steps.length; k++) {
      let reps = 1;
      while (i + (reps + 1) * k <= steps.length && keys.slice(i + reps * k, i + (reps + 1) * k).join('|') === keys.slice(i, i + k).join('|')) reps++;
      if (reps < minRepeats) continue;
      out.push(...steps.slice(i, i + k));
      out.push({
        edgeType: 'repeat',
        edgeName: k,
        nodeType: 'repeat',
        className: '',
        nodeName: '',
        nodeId: -1,
        selfSize: 0,
        words: `… the same ${k === 1 ? 'link' : `${k} links`} ${reps - 1} more times: a chain in which each one keeps the previous one alive`,
      });
      i += reps * k;
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
function shapeOf(steps: readonly RetainerStep[]): string {
  return steps.map((step, i) => (step.edgeType === 'repeat' ? `repeat:${step.edgeName}` : stepKey(step, i === steps.length - 1))).join('|');
}

/**
 * The retainer path that explains most of `candidates` (node ordinals, e.g. the new instances of the
 * top growing constructor). A leak keeps its objects the same way, so the most common path shape
 * among them is the leak's; a stray instance held by a running function is not picked over it.
 * Looks at up to `limit` candidates spread evenly over the list. Paths come back folded.
 */
export function representativePath(
  graph: HeapGraph,
  candidates: readonly number[],
  options: { tree?: RetainerTree; limit?: number } = {},
): { path: RetainerStep[]; share: number } | undefined {
  if (candidates.length === 0) return undefined;
  const tree = options.tree ?? retainerTree(graph);
  const stride = Math.max(1, Math.floor(candidates.length / (options.limit ?? 200)));
  const groups = new Map<string, { path: RetainerStep[]; count: number }>();
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
  let best: { path: RetainerStep[]; count: number } | undefined;
  for (const group of groups.values()) if (!best || group.count > best.count) best = group;
  return best ? { path: best.path, share: best.count / looked } : undefined;
}

/** Node ordinals of a class, keeping only those whose id is not in `excludeIds` (e.g. the baseline's). */
export function instancesOf(graph: HeapGraph, className: string, excludeIds?: ReadonlySet<number>): number[] {
  const found: number[] = [];
  for (let n = 0; n < graph.nodeCount; n++) {
    if (graph.className(n) === className && !excludeIds?.has(graph.id(n))) found.push(n);
  }
  return found;
}

const ROOT_WORDS: Record<string, string> = {
  '(GC roots)': "V8's GC roots",
  '(Stack roots)': 'a function running on the stack',
  '(Global handles)': "a global handle (held from Node's C++ side)",
  '(Handle scope)': 'a handle scope (held from C++ code running now)',
  '(Strong roots)': "V8's strong roots",
  '(Internalized strings)': "V8's table of internalized strings",
  '(Builtins)': "V8's builtins",
};

function article(noun: string): string {
  return /^[AEIOU]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** The object reached, in words. */
function describeNode(step: Omit<RetainerStep, 'words' | 'source'>): string {
  if (step.nodeType === 'synthetic') return ROOT_WORDS[step.nodeName] ?? step.nodeName;
  if (step.className === 'system / Context') return 'a scope (the variables some closures share)';
  if (step.nodeType === 'closure') return `the function ${step.nodeName || '(anonymous)'}()`;
  if (step.nodeType === 'object' || step.nodeType === 'native') return article(step.className || 'Object');
  if (step.nodeType === 'string' || step.className === '(string)') return 'a string';
  if (step.nodeType === 'array') return "an internal array (an object's backing store)";
  if (step.nodeType === 'hidden') return `V8 internals (${step.nodeName})`;
  return `${step.nodeType} ${step.nodeName}`.trim();
}

/** The reference taken, in words. */
function describeEdge(edgeType: string, edgeName: string | number): string {
  switch (edgeType) {
    case 'context':
      return `variable \`${edgeName}\``;
    case 'property':
      return `property \`${edgeName}\``;
    case 'element':
      return `item [${edgeName}]`;
    case 'shortcut':
      return `shortcut \`${edgeName}\``;
    case 'internal':
      // V8 often numbers its internal slots; a number tells a learner nothing.
      return typeof edgeName === 'string' && edgeName !== '' && !/^\d+$/.test(edgeName) ? `internal link \`${edgeName}\`` : 'internal link';
    default:
      return `${edgeType} link`;
  }
}

function describeStep(step: Omit<RetainerStep, 'words' | 'source'>): string {
  // Root categories hang off the synthetic root by index: the index means nothing to a reader.
  if (step.nodeType === 'synthetic') return describeNode(step);
  return `${describeEdge(step.edgeType, step.edgeName)} → ${describeNode(step)}`;
}

/**
 * The whole path on one line, e.g. "… → scope → `cache` (Object) → `8t2wix` (Object)". Node and V8
 * machinery before the first variable is folded into "…" when it is long: the learner's part of the
 * chain starts at the scope that holds their variable.
 */
export function pathInOneLine(steps: readonly RetainerStep[]): string {
  const firstNamed = steps.findIndex((step) => step.edgeType === 'context' || step.edgeType === 'property');
  const from = firstNamed > 3 ? firstNamed - 1 : 0;
  const words = steps.slice(from).map((step) => {
    if (step.edgeType === 'repeat') return `(… ×${step.words.match(/(\d+) more times/)?.[1] ?? '?'})`;
    const what = step.nodeType === 'synthetic' ? describeNode(step) : step.className === 'system / Context' ? 'scope' : step.className;
    if (step.edgeType === 'context' || step.edgeType === 'property') return `\`${step.edgeName}\` (${what})`;
    if (step.edgeType === 'element' && step.nodeType !== 'synthetic') return `[${step.edgeName}] ${what}`;
    return what;
  });
  return (from > 0 ? ['…', ...words] : words).join(' → ');
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Finds where a name on the path is declared in the given sources, so the hub can point at the
 * learner's line. A variable (a 'context' edge) is looked for as a declaration (`const|let|var|
 * function|class name`) or a function parameter; a property as an object-literal key (`name:`) or
 * an assignment (`.name =`). No match is better than a wrong one: a plain use is not a declaration.
 */
export function findInSources(
  name: string,
  sources: readonly { file: string; text: string }[],
  kind: 'variable' | 'property' = 'variable',
): SourceLine | undefined {
  if (!IDENTIFIER.test(name)) return undefined;
  const patterns =
    kind === 'variable'
      ? [
          new RegExp(`\\b(?:const|let|var|function|class)\\s+${name}\\b`),
          // a parameter of an arrow function or a function: (req, name) =>, (name: Socket) =>, function f(name)
          new RegExp(`[(,]\\s*${name}\\s*(?:[,)]|:\\s*[^,)]+[,)]).*(?:=>|\\{)|\\bfunction\\b.*[(,]\\s*${name}\\s*[,):]`),
        ]
      : [new RegExp(`(?:^\\s*|[{,]\\s*)${name}\\s*:`), new RegExp(`\\.${name}\\s*=[^=]`)];
  for (const pattern of patterns) {
    for (const source of sources) {
      const lines = source.text.split('\n');
      const at = lines.findIndex((line) => pattern.test(line) && !/^\s*(\/\/|\*|\/\*)/.test(line));
      if (at >= 0) return { file: source.file, line: at + 1, text: lines[at]!.trim() };
    }
  }
  return undefined;
}

/** Attach source lines to the steps whose variable or property names appear in the sources. */
export function linkToSources(steps: readonly RetainerStep[], sources: readonly { file: string; text: string }[]): RetainerStep[] {
  return steps.map((step) => {
    if ((step.edgeType !== 'context' && step.edgeType !== 'property') || typeof step.edgeName !== 'string') return step;
    const source = findInSources(step.edgeName, sources, step.edgeType === 'context' ? 'variable' : 'property');
    return source ? { ...step, source } : step;
  });
}
