/**
 * Source linking: finds where a variable or property on a retainer path is declared in the lab's
 * source, so the hub can point at the learner's line. Pure: works on source text handed in.
 */
import type { RetainerStep, SourceLine } from './types.ts';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `name` as a regular expression that matches it literally (`$` is common in identifiers). */
function literal(name: string): string {
  return name.replace(/[$]/g, '\\$');
}

/**
 * A variable (a 'context' edge) is looked for as a declaration (`const|let|var|function|class
 * name`) or a function parameter; a property as an object-literal key (`name:`) or an assignment
 * (`.name =`). No match is better than a wrong one: a plain use is not a declaration.
 */
export function findInSources(
  name: string,
  sources: readonly { file: string; text: string }[],
  kind: 'variable' | 'property' = 'variable',
): SourceLine | undefined {
  if (!IDENTIFIER.test(name)) return undefined;
  const id = literal(name);
  // \b does not work next to `$`: an identifier boundary is "no identifier character there".
  const before = '(?<![\\w$])';
  const after = '(?![\\w$])';
  const patterns =
    kind === 'variable'
      ? [
          new RegExp(`\\b(?:const|let|var|function|class)\\s+${id}${after}`),
          // a parameter of an arrow function or a function: (req, name) =>, (name: Socket) =>, function f(name)
          new RegExp(`[(,]\\s*${id}\\s*(?:[,)]|:\\s*[^,)]+[,)]).*(?:=>|\\{)|\\bfunction\\b.*[(,]\\s*${id}\\s*[,):]`),
        ]
      : [new RegExp(`(?:^\\s*|[{,]\\s*)${before}${id}\\s*:`), new RegExp(`\\.${id}\\s*=[^=]`)];
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
