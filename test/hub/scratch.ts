/**
 * Hub tests run against a scratch learner: their own output folder (snapshots, progress, backups)
 * in the system's temporary folder, and their own workspace under the project's output/ (a copy of
 * a lab must sit inside the project to resolve its node_modules). Call before starting a hub; the
 * returned function removes both. `npm test` already sets LEAKLAB_WORKSPACE: that one is kept.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export function useScratchLearner(): { output: string; workspace: string; cleanUp(): void } {
  const output = mkdtempSync(path.join(tmpdir(), 'leaklab-hub-output-'));
  let ownWorkspace: string | undefined;
  if (!process.env.LEAKLAB_WORKSPACE) {
    mkdirSync(path.join(ROOT, 'output'), { recursive: true });
    ownWorkspace = mkdtempSync(path.join(ROOT, 'output', 'test-workspace-'));
    process.env.LEAKLAB_WORKSPACE = ownWorkspace;
  }
  process.env.LEAKLAB_OUTPUT = output;
  return {
    output,
    workspace: process.env.LEAKLAB_WORKSPACE!,
    cleanUp() {
      rmSync(output, { recursive: true, force: true });
      if (ownWorkspace) rmSync(ownWorkspace, { recursive: true, force: true });
    },
  };
}
