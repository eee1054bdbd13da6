/** `leaklab hint <lab>`: reveal one more hint each time, showing the earlier ones too. */
import path from 'node:path';
import { revealHint } from '../../kit/progress.ts';
import { chooseLab } from '../resolve.ts';
import type { Terminal } from '../terminal.ts';

export function hintCommand(name: string | undefined, term: Terminal): number {
  const { course, lab } = chooseLab(name);
  const shown = revealHint(course.root, lab.id, lab.hints.length);
  term.out(`Lab ${lab.number} · ${lab.title}: hint ${shown} of ${lab.hints.length}\n`);
  lab.hints.slice(0, shown).forEach((hint, i) => term.out(`  ${i + 1}. ${hint}\n`));
  if (shown < lab.hints.length) term.out(`Run \`npx leaklab hint ${lab.number}\` again for the next one, then \`npx leaklab check ${lab.number}\`.`);
  else term.out(`That was the last hint. The reference fix is ${path.relative(course.root, lab.solutionFile)}; check yours with \`npx leaklab check ${lab.number}\`.`);
  return 0;
}
