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

/** First node (by ordinal) of a class among a set of object ids, or of the class at all. */
export function findInstance(graph: HeapGraph, className: string, preferIds?: ReadonlySet<number>): number | undefined {
  let fallback: number | undefined;
  for (let n = 0; n < graph.nodeCount; n++) {
    if (graph.className(n) !== className) continue;
    if (!preferIds || !preferIds.has(graph.id(n))) return n;
    fallback ??= n;
  }
  return fallback;
}

/**
 * A shortest chain of strong references from the root to `target` (node ordinal), root excluded.
 * Returns undefined when nothing strong reaches it (it would be collected at the next GC).
 */
export function retainerPath(graph: HeapGraph, target: number): RetainerStep[] | undefined {
  const parent = new Int32Array(graph.nodeCount).fill(-1);
  const edgeTypeOf: string[] = [];
  const edgeNameOf: (string | number)[] = [];
  parent[0] = 0;
  const queue = new Int32Array(graph.nodeCount);
  let head = 0;
  let tail = 0;
  queue[tail++] = 0;
  let found = target === 0;
  while (head < tail && !found) {
    const n = queue[head++]!;
    graph.forEachEdge(n, (edgeType, edgeName, to) => {
      if (edgeType === 'weak' || parent[to] !== -1) return;
      parent[to] = n;
      edgeTypeOf[to] = edgeType;
      edgeNameOf[to] = edgeName;
      queue[tail++] = to;
      if (to === target) {
        found = true;
        return false;
      }
    });
  }
  if (!found) return undefined;
  const steps: RetainerStep[] = [];
  for (let n = target; n !== 0; n = parent[n]!) {
    const step = {
      edgeType: edgeTypeOf[n]!,
      edgeName: edgeNameOf[n]!,
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

/** The whole path on one line, e.g. "a function running on the stack → a scope → `leakedRecords` (Array) → [0] LeakedRecord". */
export function pathInOneLine(steps: readonly RetainerStep[]): string {
  return steps
    .map((step) => {
      const what = step.nodeType === 'synthetic' ? describeNode(step) : step.className === 'system / Context' ? 'scope' : step.className;
      if (step.edgeType === 'context' || step.edgeType === 'property') return `\`${step.edgeName}\` (${what})`;
      if (step.edgeType === 'element' && step.nodeType !== 'synthetic') return `[${step.edgeName}] ${what}`;
      return what;
    })
    .join(' → ');
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Finds where a variable or property named on the path is declared or assigned in the given
 * sources, so the hub can point at the learner's line. Looks for `const|let|var|function|class name`,
 * then `name =` / `name:` / `.name =`, then any whole-word use.
 */
export function findInSources(name: string, sources: readonly { file: string; text: string }[]): SourceLine | undefined {
  if (!IDENTIFIER.test(name)) return undefined;
  const patterns = [
    new RegExp(`\\b(?:const|let|var|function|class)\\s+${name}\\b`),
    new RegExp(`(?:^|[^.\\w$])${name}\\s*(?:=[^=]|:)`),
    new RegExp(`\\.${name}\\s*=[^=]`),
    new RegExp(`\\b${name}\\b`),
  ];
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
    const source = findInSources(step.edgeName, sources);
    return source ? { ...step, source } : step;
  });
}
