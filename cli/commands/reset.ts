/**
 * `leaklab reset <lab>`: put the learner's workspace/<lab>/server.ts back as shipped (from
 * labs/<lab>/server.ts, no git needed), after copying their version to output/backups/ so nothing
 * they wrote is lost.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { forgetCheck } from '../../kit/progress.ts';
import { restoreLabCopy } from '../../kit/workspace.ts';
import { chooseLab } from '../resolve.ts';
import type { Terminal } from '../terminal.ts';

export function resetCommand(name: string | undefined, term: Terminal, now = new Date()): number {
  const { course, lab } = chooseLab(name);
  const relative = path.relative(course.root, lab.serverFile);
  const original = readFileSync(lab.shippedFile, 'utf8');
  const current = existsSync(lab.serverFile) ? readFileSync(lab.serverFile, 'utf8') : undefined;
  if (current === original) {
    term.out(`${relative} is already as shipped: nothing to reset.`);
    return 0;
  }
  if (current !== undefined) {
    const backups = path.join(course.root, 'output', 'backups');
    mkdirSync(backups, { recursive: true });
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const backup = path.join(backups, `${lab.id}-${stamp}.ts`);
    copyFileSync(lab.serverFile, backup);
    term.out(`Your version is saved as ${path.relative(course.root, backup)}.`);
  }
  // The fixture re-exports are written again too, in case they were damaged.
  restoreLabCopy(lab);
  forgetCheck(course.root, lab.id);
  term.out(`${relative} is back as shipped. Check it with \`leaklab check ${lab.number}\` (it leaks, on purpose).`);
  return 0;
}
