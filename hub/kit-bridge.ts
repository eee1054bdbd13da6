/**
 * The hub's only contact with the course manifest, the learner's workspace, the progress store and
 * the checker: which labs exist, with which tunables, how to drive a lab's real workload, how to run
 * a check, hints, reset. Kept in one file so the hub's server code does not depend on the shape of
 * the kit's internals.
 */
import path from 'node:path';
import { checkLab } from '../kit/check.ts';
import { createLabContext, labCheckFor } from '../kit/lab-checks/index.ts';
import { resetLearnerFile, type ResetOutcome } from '../kit/learner-file.ts';
import type { LabProcess } from '../kit/lab-process.ts';
import { loadCourse, type LabInfo } from '../kit/manifest.ts';
import { hintsShown, outputDir, readProgress, recordCheck, revealHint } from '../kit/progress.ts';
import { ensureWorkspace } from '../kit/workspace.ts';
import type { RoundRecord, Verdict } from '../kit/types.ts';
import type { CrashRun, LastCheckView, Variant } from './protocol.ts';

/** What the hub needs to know about a lab. */
export interface HubLab {
  id: string;
  number: string;
  title: string;
  operation: string;
  labPage: string;
  /** The learner's own server (workspace/<id>/server.ts). */
  serverFile: string;
  /** The folder holding it, watched for edits. */
  workspaceDir: string;
  solutionFile: string;
  /** Project root, to show files relative to it. */
  root: string;
  /** The lab's hints, in the order they are revealed. */
  hints: string[];
  /** The LEAKLAB_* settings the checker runs the lab with. */
  checkTunables: Record<string, string>;
  /**
   * The settings the live servers run with: the checker's, so that what the learner watches is what
   * is judged; none for a lab run until it dies (its shipped settings make it die within minutes).
   */
  liveTunables: Record<string, string>;
  /** Set when the lab is meant to be run until it dies of its heap cap (its check says so). */
  crashRun?: CrashRun;
  /** What the lab's fixtures count, by gauge name, in words for the panel's gauges table. */
  gaugeLabels: Record<string, string>;
  /** The manifest's record, for reset. */
  info: LabInfo;
}

/**
 * Gauge names in words. Until each lab's check plan carries its gauges with their labels, they are
 * kept here, the hub's one contact with the kit, never in the browser.
 */
const GAUGE_LABELS: Record<string, string> = {
  busListeners: "bus 'update' listeners",
  connectedClients: 'connected clients',
  dbCalls: 'database calls',
  catalogLoads: 'price tables loaded',
  uploadBodiesHeld: 'upload bodies held',
};

/**
 * The labs of the course manifest (labs/course.json), validated by the kit. A learner without a
 * copy of a lab in their workspace gets one here, so the panel always has a file to run.
 */
export function loadHubCourse(root: string): HubLab[] {
  const course = loadCourse(root);
  ensureWorkspace(course.labs);
  return course.labs.map((lab) => {
    const check = labCheckFor(lab.id);
    return {
      root,
      id: lab.id,
      number: lab.number,
      title: lab.title,
      operation: lab.operation,
      labPage: lab.labPage,
      serverFile: lab.serverFile,
      workspaceDir: lab.workspaceDir,
      solutionFile: lab.solutionFile,
      hints: lab.hints,
      checkTunables: { ...(check?.env ?? {}) },
      liveTunables: check?.crashRun ? {} : { ...(check?.env ?? {}) },
      gaugeLabels: GAUGE_LABELS,
      info: lab,
      ...(check?.crashRun ? { crashRun: check.crashRun } : {}),
    };
  });
}

/** Where the hub writes (snapshots): the project's output folder, or LEAKLAB_OUTPUT. */
export function hubOutputDir(root: string): string {
  return outputDir(root);
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

/**
 * Run the checker on the learner's file or the solution, streaming rounds. A verdict on the
 * learner's file goes into the progress store `leaklab list` reads.
 */
export async function runCheck(lab: HubLab, variant: Variant, signal: AbortSignal, onRound: (round: RoundRecord) => void): Promise<Verdict> {
  const verdict = await checkLab({
    target: { labId: lab.id, entry: variant === 'learner' ? lab.serverFile : lab.solutionFile },
    signal,
    onRound: (round) => onRound(round),
  });
  if (variant === 'learner' && !signal.aborted) recordCheck(lab.root, verdict);
  // The page shows the file as the learner knows it, not where the project sits on disk.
  return { ...verdict, entry: path.relative(lab.root, verdict.entry) };
}

/** The learner's last check of a lab, from the progress store shared with the terminal. */
export function lastCheckOf(lab: HubLab): LastCheckView | undefined {
  const last = readProgress(lab.root).lastChecks[lab.id];
  return last ? { status: last.status, at: last.at, bytesPerOp: last.bytesPerOp, operation: last.operation } : undefined;
}

/** The hints revealed so far (the same count `leaklab hint` continues from). */
export function shownHints(lab: HubLab): string[] {
  return lab.hints.slice(0, hintsShown(lab.root, lab.id));
}

/** Reveal one more hint; answers the hints now shown. */
export function nextHint(lab: HubLab): string[] {
  return lab.hints.slice(0, revealHint(lab.root, lab.id, lab.hints.length));
}

/** Put the learner's file back as shipped, their version kept in output/backups. */
export function resetLab(lab: HubLab): ResetOutcome {
  return resetLearnerFile(lab.root, lab.info);
}
