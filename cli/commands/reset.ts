/**
 * `leaklab reset <lab>`: put the learner's workspace/<lab>/server.ts back as shipped (from
 * labs/<lab>/server.ts, no git needed), after copying their version to output/backups/ so nothing
 * they wrote is lost. The hub's reset button does the same (kit/learner-file.ts).
 */
import { resetLearnerFile } from '../../kit/learner-file.ts';
import { chooseLab } from '../resolve.ts';
import type { Terminal } from '../terminal.ts';

export function resetCommand(name: string | undefined, term: Terminal, now = new Date()): number {
  const { course, lab } = chooseLab(name);
  const outcome = resetLearnerFile(course.root, lab, now);
  if (outcome.unchanged) {
    term.out(`${outcome.file} is already as shipped: nothing to reset.`);
    return 0;
  }
  if (outcome.backup) term.out(`Your version is saved as ${outcome.backup}.`);
  term.out(`${outcome.file} is back as shipped. Check it with \`npx leaklab check ${lab.number}\` (it leaks, on purpose).`);
  return 0;
}
