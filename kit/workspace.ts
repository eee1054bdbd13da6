/**
 * The learner's workspace: their own copy of each lab's server.ts, apart from the labs as shipped.
 *
 * labs/ is the course's: the site shows its code, the self-check proves it leaks, `reset` restores
 * from it. The learner edits workspace/NN-name/server.ts instead, so whatever they do to their
 * file (fix it, delete its TODO, break it, delete it) the course still builds and shows the
 * original. Beside their server.ts, each workspace folder holds one-line re-exports of the lab's
 * fixtures (as solutions/ does), so `import { db } from './db.ts'` works unchanged and both run
 * the same fixture module.
 *
 * The workspace lives at the project root (override with LEAKLAB_WORKSPACE, e.g. for tests; keep
 * it inside the project, where the copies still resolve its node_modules). It is not ignored by git: in a team's fork the learner commits it, and CI grades it.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The files of a lab folder that are not fixtures: the learner's server, the story, the check plan. */
const NOT_FIXTURES = new Set(['server.ts', 'README.md', 'check.ts']);

/** What the workspace functions need to know about a lab (a LabInfo has all of it). */
export interface WorkspaceLab {
  id: string;
  /** labs/<id>: the lab as shipped. */
  dir: string;
  /** workspace/<id>: the learner's copy. */
  workspaceDir: string;
}

/** The workspace folder for the project at `root`. */
export function workspaceRoot(root: string): string {
  const override = process.env.LEAKLAB_WORKSPACE;
  return override && override.trim() !== '' ? path.resolve(override) : path.join(root, 'workspace');
}

/** The lab's fixture files (everything in its folder but server.ts, README.md and check.ts). */
export function fixtureFiles(lab: Pick<WorkspaceLab, 'dir'>): string[] {
  return readdirSync(lab.dir)
    .filter((name) => name.endsWith('.ts') && !NOT_FIXTURES.has(name))
    .sort();
}

/** The one line that makes `file` in `fromDir` the lab's fixture of the same name. */
export function fixtureReExport(lab: Pick<WorkspaceLab, 'dir'>, fromDir: string, file: string): string {
  const target = path.relative(fromDir, path.join(lab.dir, file)).split(path.sep).join('/');
  return `export * from '${target.startsWith('.') ? target : `./${target}`}';\n`;
}

/**
 * Give the learner their copy of a lab if they have none yet: server.ts as shipped plus the fixture
 * re-exports. A folder that exists is never touched (a learner who deleted their server.ts is told
 * so by the checker and can `reset`). Answers true when it created the copy.
 */
export function ensureLabCopy(lab: WorkspaceLab): boolean {
  if (existsSync(lab.workspaceDir)) return false;
  restoreLabCopy(lab);
  return true;
}

/**
 * Write the learner's copy as shipped: server.ts from labs/, and the fixture re-exports. Other
 * files the learner added to the folder are left alone. The caller backs up their server.ts first.
 */
export function restoreLabCopy(lab: WorkspaceLab): void {
  mkdirSync(lab.workspaceDir, { recursive: true });
  for (const file of fixtureFiles(lab)) writeFileSync(path.join(lab.workspaceDir, file), fixtureReExport(lab, lab.workspaceDir, file));
  copyFileSync(path.join(lab.dir, 'server.ts'), path.join(lab.workspaceDir, 'server.ts'));
}

/** Give the learner a copy of every lab they have none of; answers the ids it created. */
export function ensureWorkspace(labs: readonly WorkspaceLab[]): string[] {
  return labs.filter((lab) => ensureLabCopy(lab)).map((lab) => lab.id);
}
