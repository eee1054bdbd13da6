/**
 * A learner's progress, kept in output/progress.json: the last verdict of each lab's own server.ts
 * and how many hints were revealed. One store for the terminal and the hub: a check passed in the
 * browser shows in `leaklab list`, a hint revealed by `leaklab hint` shows in the panel.
 * Small, synchronous file I/O, written atomically after each change.
 *
 * LEAKLAB_OUTPUT moves the output folder (tests use a temporary one, never the project's output/).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Verdict, VerdictStatus } from './types.ts';

/** What `list` needs from a past check. */
export interface LastCheck {
  status: VerdictStatus;
  /** ISO time of the check. */
  at: string;
  bytesPerOp: number;
  operation: string;
}

export interface Progress {
  lastChecks: Record<string, LastCheck>;
  hintsShown: Record<string, number>;
}

/** The output folder for the project at `root`: <root>/output, or LEAKLAB_OUTPUT when set. */
export function outputDir(root: string): string {
  const override = process.env.LEAKLAB_OUTPUT;
  return override && override.trim() !== '' ? path.resolve(override) : path.join(root, 'output');
}

export function progressFile(root: string): string {
  return path.join(outputDir(root), 'progress.json');
}

/** Read the progress file; a missing or damaged file is an empty progress, never an error. */
export function readProgress(root: string): Progress {
  try {
    const data = JSON.parse(readFileSync(progressFile(root), 'utf8')) as Partial<Progress>;
    return { lastChecks: data.lastChecks ?? {}, hintsShown: data.hintsShown ?? {} };
  } catch {
    return { lastChecks: {}, hintsShown: {} };
  }
}

/** Write atomically (temp file + rename), so an interrupted write never leaves half a file. */
export function writeProgress(root: string, progress: Progress): void {
  const file = progressFile(root);
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(temp, file);
}

/** Remember a verdict of the learner's own server file. */
export function recordCheck(root: string, verdict: Verdict, at = new Date()): void {
  const progress = readProgress(root);
  progress.lastChecks[verdict.labId] = { status: verdict.status, at: at.toISOString(), bytesPerOp: verdict.bytesPerOp, operation: verdict.operation };
  writeProgress(root, progress);
}

/** How many hints of a lab the learner has seen so far. */
export function hintsShown(root: string, labId: string): number {
  return readProgress(root).hintsShown[labId] ?? 0;
}

/** Reveal one more hint (up to `available`); answers how many are now shown. */
export function revealHint(root: string, labId: string, available: number): number {
  const progress = readProgress(root);
  const shown = Math.min((progress.hintsShown[labId] ?? 0) + 1, available);
  progress.hintsShown[labId] = shown;
  writeProgress(root, progress);
  return shown;
}

/** Forget a lab's last verdict (after `reset`, the old verdict no longer describes the file). */
export function forgetCheck(root: string, labId: string): void {
  const progress = readProgress(root);
  delete progress.lastChecks[labId];
  writeProgress(root, progress);
}
