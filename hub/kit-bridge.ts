/**
 * The hub's only contact with the course manifest and the checker: which labs exist, how to drive
 * a lab's real workload, how to run a check. Kept in one file so the hub's server code does not
 * depend on the shape of the kit's internals.
 */
import path from 'node:path';
import { checkLab } from '../kit/check.ts';
import { createLabContext, labCheckFor } from '../kit/lab-checks/index.ts';
import type { CrashRun } from '../kit/lab-checks/lab-check.ts';
import type { LabProcess } from '../kit/lab-process.ts';
import { loadCourse } from '../kit/manifest.ts';
import { ensureWorkspace } from '../kit/workspace.ts';
import type { RoundRecord, Verdict } from '../kit/types.ts';
import type { Variant } from './lab-session.ts';

/** What the hub needs to know about a lab. */
export interface HubLab {
  id: string;
  number: string;
  title: string;
  operation: string;
  labPage: string;
  serverFile: string;
  solutionFile: string;
  /** Project root, to show files relative to it. */
  root: string;
  /** Set when the lab is meant to be run until it dies of its heap cap (its check says so). */
  crashRun?: CrashRun;
}

/**
 * The labs of the course manifest (labs/course.json), validated by the kit. A learner without a
 * copy of a lab in their workspace gets one here, so the panel always has a file to run.
 */
export function loadHubCourse(root: string): HubLab[] {
  const course = loadCourse(root);
  ensureWorkspace(course.labs);
  return course.labs.map((lab) => ({
    root,
    id: lab.id,
    number: lab.number,
    title: lab.title,
    operation: lab.operation,
    labPage: lab.labPage,
    serverFile: lab.serverFile,
    solutionFile: lab.solutionFile,
    ...(labCheckFor(lab.id)?.crashRun ? { crashRun: labCheckFor(lab.id)!.crashRun } : {}),
  }));
}

/**
 * Drive `count` operations of the lab's own workload against a running lab; resolves with the
 * number done. Progress is reported as it goes.
 */
export async function runLoad(
  lab: HubLab,
  child: LabProcess,
  count: number,
  signal: AbortSignal,
  onProgress: (done: number) => void,
): Promise<number> {
  const check = labCheckFor(lab.id);
  if (!check) throw new Error(`the checker has no workload for ${lab.id}`);
  const ctx = createLabContext(child, { signal, onProgress: (done) => onProgress(done) });
  try {
    const result = await check.runRound(ctx, count);
    return result.ok;
  } finally {
    ctx.close();
  }
}

/** Run the checker on the learner's file or the solution, streaming rounds. */
export async function runCheck(
  lab: HubLab,
  variant: Variant,
  signal: AbortSignal,
  onRound: (round: RoundRecord) => void,
): Promise<Verdict> {
  const verdict = await checkLab({
    target: { labId: lab.id, entry: variant === 'learner' ? lab.serverFile : lab.solutionFile },
    signal,
    onRound: (round) => onRound(round),
  });
  // The page shows the file as the learner knows it, not where the project sits on disk.
  return { ...verdict, entry: path.relative(lab.root, verdict.entry) };
}
