/**
 * A retainer path in plain words for a learner: each step as "variable `cache` → an Object", the
 * whole path on one line. Pure: works on path steps.
 */
import type { PathStep, RetainerStep } from './types.ts';

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
function describeNode(step: PathStep): string {
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

/** One step in words. */
export function describeStep(step: PathStep): string {
  if (step.repeat) {
    const { links, times } = step.repeat;
    return `… the same ${links === 1 ? 'link' : `${links} links`} ${times} more ${times === 1 ? 'time' : 'times'}: a chain in which each one keeps the previous one alive`;
  }
  // Root categories hang off the synthetic root by index: the index means nothing to a reader.
  if (step.nodeType === 'synthetic') return describeNode(step);
  return `${describeEdge(step.edgeType, step.edgeName)} → ${describeNode(step)}`;
}

/** Every step with its words. */
export function describePath(steps: readonly PathStep[]): RetainerStep[] {
  return steps.map((step) => ({ ...step, words: describeStep(step) }));
}

/**
 * Where the learner's part of a path starts: Node and V8 machinery before the first variable or
 * property is folded away when it is long, keeping the scope that holds the variable.
 */
export function firstLearnerStep(steps: readonly PathStep[]): number {
  const firstNamed = steps.findIndex((step) => step.edgeType === 'context' || step.edgeType === 'property');
  return firstNamed > 3 ? firstNamed - 1 : 0;
}

/** The whole path on one line, e.g. "… → scope → `cache` (Object) → `8t2wix` (Object)". */
export function pathInOneLine(steps: readonly PathStep[]): string {
  const from = firstLearnerStep(steps);
  const words = steps.slice(from).map((step) => {
    if (step.repeat) return `(… ×${step.repeat.times})`;
    const what = step.nodeType === 'synthetic' ? describeNode(step) : step.className === 'system / Context' ? 'scope' : step.className;
    if (step.edgeType === 'context' || step.edgeType === 'property') return `\`${step.edgeName}\` (${what})`;
    if (step.edgeType === 'element' && step.nodeType !== 'synthetic') return `[${step.edgeName}] ${what}`;
    return what;
  });
  return (from > 0 ? ['…', ...words] : words).join(' → ');
}
