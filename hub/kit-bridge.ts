/**
 * The hub's only contact with the course manifest, the learner's workspace, the progress store and
 * the checker: which labs exist, with which tunables, how to drive a lab's real workload, how to run
 * a check, hints, reset. Kept in one file so the hub's server code does not depend on the shape of
 * the kit's internals.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkLab, type CheckOptions } from '../kit/check.ts';
import { createLabContext, loadCheckPlan } from '../kit/check-plans.ts';
import { resetLearnerFile, type ResetOutcome } from '../kit/learner-file.ts';
import type { LabProcess } from '../kit/lab-process.ts';
import { loadCourse, type LabInfo } from '../kit/manifest.ts';
import { hintsShown, outputDir, readProgress, recordCheck, revealHint } from '../kit/progress.ts';
import { ensureWorkspace } from '../kit/workspace.ts';
import type { Verdict } from '../kit/types.ts';
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
  /** labs/<id>, where the lab's check plan lives. */
  dir: string;
  /** The lab's hints, in the order they are revealed. */
  hints: string[];
  /** The LEAKLAB_* settings the checker runs the lab with. */
  checkTunables: Record<string, string>;
  /** What each setting means, by variable. */
  tunablesAbout: Record<string, string>;
  /**
   * The settings the live servers run with: the checker's, so that what the learner watches is what
   * is judged; none for a lab run until it dies (its shipped settings make it die within minutes).
   */
  liveTunables: Record<string, string>;
  /** Set when the lab is meant to be run until it dies of its heap cap (the manifest says so). */
  crashRun?: CrashRun;
  /** The manifest's record, for reset. */
  info: LabInfo;
}

/**
 * The labs of the course manifest (labs/course.json), validated by the kit, each with the settings
 * of its check plan (labs/NN-name/check.ts). A learner without a copy of a lab in their workspace
 * gets one here, so the panel always has a file to run. Gauge labels come with every sample
 * (the probe reads them from the lab's fixtures), so they are not listed here.
 */
export async function loadHubCourse(root: string): Promise<HubLab[]> {
  const course = loadCourse(root);
  ensureWorkspace(course.labs);
  return Promise.all(
    course.labs.map(async (lab) => {
      const plan = await loadCheckPlan(lab.dir);
      const checkTunables = { ...plan.env };
      return {
        root,
        dir: lab.dir,
        id: lab.id,
        number: lab.number,
        title: lab.title,
        operation: lab.operation,
        labPage: lab.labPage,
        serverFile: lab.serverFile,
        workspaceDir: lab.workspaceDir,
        solutionFile: lab.solutionFile,
        hints: lab.hints,
        checkTunables,
        tunablesAbout: { ...plan.about },
        liveTunables: lab.crashRun ? {} : checkTunables,
        info: lab,
        ...(lab.crashRun ? { crashRun: { heapMb: lab.crashRun.heapMb, aboutOps: operationsToDie(root, lab.crashRun.diesAfter), nodeLine: `Node ${NODE_LINE}` } } : {}),
      };
    }),
  );
}

const NODE_LINE = process.versions.node.split('.')[0]!;

/**
 * How many operations the figure `id` of site/data/measured.json says a lab takes to die of its cap
 * on this Node line; on a line it was not measured on, the most any line took.
 */
function operationsToDie(root: string, id: string): number {
  type Figure = { value?: unknown; byNode?: Record<string, { value?: unknown }> };
  const figure = (JSON.parse(readFileSync(path.join(root, 'site', 'data', 'measured.json'), 'utf8')) as Record<string, Figure>)[id];
  if (!figure) throw new Error(`labs/course.json names "${id}" for a crash run, and site/data/measured.json has no such figure`);
  // A figure is a count, or a [earliest, latest] range (whether V8 raises the limit to write its
  // snapshot varies between runs): the run is sized for the latest.
  const latest = (value: unknown) => (typeof value === 'number' ? value : Array.isArray(value) && typeof value[1] === 'number' ? value[1] : undefined);
  const here = latest(figure.byNode?.[NODE_LINE]?.value ?? figure.value);
  if (here !== undefined) return here;
  const lines = Object.values(figure.byNode ?? {}).map((line) => latest(line.value)).filter((value): value is number => value !== undefined);
  if (lines.length === 0) throw new Error(`site/data/measured.json "${id}" gives no number of operations`);
  return Math.max(...lines);
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
  const check = await loadCheckPlan(lab.dir);
  const ctx = createLabContext(child, { signal, onProgress: (done) => onProgress(done) });
  // A run of its own per press: clients it keeps open for the check's sake close with it.
  const run = await check.start(ctx);
  try {
    const result = await run.round(count);
    return result.ok;
  } finally {
    await run.close();
    ctx.close();
  }
}

/**
 * Run the checker on the learner's file or the solution, streaming rounds. A verdict on the
 * learner's file goes into the progress store `leaklab list` reads.
 */
export async function runCheck(
  lab: HubLab,
  variant: Variant,
  signal: AbortSignal,
  progress: Pick<CheckOptions, 'onRound' | 'onStage'>,
): Promise<Verdict> {
  const verdict = await checkLab({
    target: { labId: lab.id, entry: variant === 'learner' ? lab.serverFile : lab.solutionFile },
    signal,
    ...progress,
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
