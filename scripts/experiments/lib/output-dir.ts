/**
 * The one place experiments may write files: output/experiments/<name>-<random>/ under the project
 * root (git-ignored). Each experiment removes its folder when done.
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Create a fresh scratch folder for one experiment run. */
export function scratchDir(name: string): string {
  const parent = join(PROJECT_ROOT, 'output', 'experiments');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, `${name}-`));
}

/** Remove a scratch folder and everything in it. */
export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
