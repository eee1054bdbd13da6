/**
 * `leaklab reset <lab>`: put the lab's server.ts back as shipped (from git), after copying the
 * learner's version to output/backups/ so nothing they wrote is lost.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../kit/errors.ts';
import { forgetCheck } from '../../kit/progress.ts';
import { chooseLab } from '../resolve.ts';
import type { Terminal } from '../terminal.ts';

/** The shipped server.ts from the last commit, or a LabError('NO_ORIGINAL'). */
function originalFromGit(root: string, relative: string): string {
  try {
    return execFileSync('git', ['show', `HEAD:${relative.split(path.sep).join('/')}`], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? (error as Error).message).trim().split('\n')[0];
    throw new LabError('NO_ORIGINAL', { file: relative, detail: stderr });
  }
}

export function resetCommand(name: string | undefined, term: Terminal, now = new Date()): number {
  const { course, lab } = chooseLab(name);
  const relative = path.relative(course.root, lab.serverFile);
  const original = originalFromGit(course.root, relative);
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
  writeFileSync(lab.serverFile, original);
  forgetCheck(course.root, lab.id);
  term.out(`${relative} is back as shipped. Check it with \`leaklab check ${lab.number}\` (it leaks, on purpose).`);
  return 0;
}
