/**
 * Turn what the learner typed (`01`, `unbounded-cache`, `--solution`, `--entry FILE`) into a lab
 * and the file to run, with messages that say what to type instead.
 */
import path from 'node:path';
import { CourseError, findLab, loadCourse, type Course, type LabInfo } from '../kit/manifest.ts';
import { LabError } from '../kit/errors.ts';
import { ensureWorkspace } from '../kit/workspace.ts';

export interface Chosen {
  course: Course;
  lab: LabInfo;
  /** Absolute path of the server file to run. */
  entry: string;
  /** True when it is the learner's own workspace/<id>/server.ts (only that one's verdict is remembered). */
  isLearnerFile: boolean;
}

/**
 * The course, or a LabError('USAGE') carrying the manifest's own message. LEAKLAB_ROOT points the
 * CLI at another copy of the project (the CLI's tests use a scratch copy so `reset` never touches
 * the real labs). A learner without a copy of a lab yet gets one in the workspace here.
 */
export function course(): Course {
  try {
    const loaded = loadCourse(process.env.LEAKLAB_ROOT || undefined);
    ensureWorkspace(loaded.labs);
    return loaded;
  } catch (error) {
    if (error instanceof CourseError) throw new LabError('USAGE', { detail: error.message });
    throw error;
  }
}

/** Find a lab by any of its names; unknown names become a LabError listing the valid ones. */
export function chooseLab(name: string | undefined, options: { solution?: boolean; entry?: string } = {}): Chosen {
  if (!name) throw new LabError('USAGE', { detail: 'Name a lab, e.g. `npx leaklab check 01`.' });
  const loaded = course();
  let lab: LabInfo;
  try {
    lab = findLab(loaded, name);
  } catch (error) {
    if (error instanceof CourseError) throw new LabError('UNKNOWN_LAB', { detail: name });
    throw error;
  }
  if (options.solution && options.entry) throw new LabError('USAGE', { detail: 'Use either --solution or --entry FILE, not both.' });
  const entry = options.entry ? path.resolve(options.entry) : options.solution ? lab.solutionFile : lab.serverFile;
  return { course: loaded, lab, entry, isLearnerFile: entry === lab.serverFile };
}
