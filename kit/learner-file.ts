/**
 * Reset: put the learner's workspace/<lab>/server.ts back as shipped (from labs/<lab>/server.ts),
 * after copying their version to output/backups/ so nothing they wrote is lost, and forget the
 * lab's last verdict (it described the old file). One function for `leaklab reset` and the hub's
 * reset button.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LabInfo } from './manifest.ts';
import { forgetCheck, outputDir } from './progress.ts';
import { restoreLabCopy } from './workspace.ts';

export interface ResetOutcome {
  /** The learner's file, relative to the project root. */
  file: string;
  /** Their version as it was, relative to the project root; absent when there was nothing to keep. */
  backup?: string;
  /** True when the file was already as shipped (nothing was changed). */
  unchanged: boolean;
}

export function resetLearnerFile(root: string, lab: Pick<LabInfo, 'id' | 'dir' | 'workspaceDir' | 'serverFile' | 'shippedFile'>, now = new Date()): ResetOutcome {
  const file = path.relative(root, lab.serverFile);
  const original = readFileSync(lab.shippedFile, 'utf8');
  const current = existsSync(lab.serverFile) ? readFileSync(lab.serverFile, 'utf8') : undefined;
  if (current === original) return { file, unchanged: true };
  let backup: string | undefined;
  if (current !== undefined) {
    const backups = path.join(outputDir(root), 'backups');
    mkdirSync(backups, { recursive: true });
    const target = path.join(backups, `${lab.id}-${now.toISOString().replace(/[:.]/g, '-')}.ts`);
    copyFileSync(lab.serverFile, target);
    backup = path.relative(root, target);
  }
  // The fixture re-exports are written again too, in case they were damaged.
  restoreLabCopy(lab);
  forgetCheck(root, lab.id);
  return { file, ...(backup ? { backup } : {}), unchanged: false };
}
