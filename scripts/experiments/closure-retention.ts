/**
 * What does a closure keep alive? V8 puts into a scope's shared context only the variables that
 * some inner function uses. So an unused big local is freed; a big local used by the kept closure
 * stays; a big local used only by a sibling closure that was thrown away ALSO stays, because all
 * closures of one scope share one context; and `eval` forces V8 to keep every variable.
 *
 *   node --import tsx scripts/experiments/closure-retention.ts
 */
import { ensureFlags, report, retainedBy, toMiB } from './lib/harness.ts';

/** One million pointer slots: 8 MB, about 7.63 MiB, easy to spot in a heap delta. */
function bigTable(): string[] {
  return new Array<string>(1_000_000).fill('price');
}

/** The outer function reads `table` itself, but the closure it returns does not. */
function keepsClosureNotUsingTable(): () => number {
  const table = bigTable();
  const size = table.length;
  return () => size;
}

/** The returned closure reads `table`. */
function keepsClosureUsingTable(): () => number {
  const table = bigTable();
  return () => table.length;
}

/** A sibling closure reads `table` and is discarded; the kept closure reads only `label`. */
function keepsClosureBesideTableUser(): () => string {
  const table = bigTable();
  const label = 'prices';
  const countRows = () => table.length;
  countRows();
  return () => label;
}

/** The kept closure reads nothing, but calls eval, which could read any variable by name. */
function keepsClosureWithEval(): () => unknown {
  const table = bigTable();
  table.length;
  return () => eval('1 + 1');
}

async function retainedMiB(make: () => () => unknown): Promise<number> {
  const { bytes, kept } = await retainedBy(() => make());
  kept(); // keep the closure reachable until after the measurement
  return toMiB(bytes);
}

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  const result = {
    tableMiB: toMiB(8_000_000),
    unusedLocalMiB: await retainedMiB(keepsClosureNotUsingTable),
    usedLocalMiB: await retainedMiB(keepsClosureUsingTable),
    siblingUsedLocalMiB: await retainedMiB(keepsClosureBesideTableUser),
    evalClosureMiB: await retainedMiB(keepsClosureWithEval),
  };
  report(
    result,
    `retained: unused ${result.unusedLocalMiB} MiB, used ${result.usedLocalMiB} MiB, sibling ${result.siblingUsedLocalMiB} MiB, eval ${result.evalClosureMiB} MiB`,
  );
}
