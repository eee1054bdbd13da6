/**
 * The course manifest: `labs/course.json` says which labs exist, in which order, with their titles,
 * causes, hints and course pages. This module loads it, checks it completely (every problem is
 * reported at once, in one CourseError), and derives the paths every tool needs, so the CLI, the
 * hub, the checker and the tests never rebuild a lab path by hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceRoot } from './workspace.ts';

/** One lab, as the tools see it: the manifest's words plus the paths derived from its id. */
export interface LabInfo {
  /** Folder name, e.g. '01-unbounded-cache'. */
  id: string;
  /** Its number, e.g. '01'. */
  number: string;
  /** Its name without the number, e.g. 'unbounded-cache'. */
  slug: string;
  title: string;
  /** One line: what keeps memory alive in this lab. */
  cause: string;
  /** The unit of load the checker drives: 'request' | 'SSE connection' | 'price refresh' | 'socket.io connection' | 'upload'. */
  operation: string;
  /** Absolute path of labs/<id>: the lab as shipped, which the course shows and `reset` restores from. */
  dir: string;
  /** Absolute path of the lab's server as shipped, labs/<id>/server.ts (it leaks, on purpose). */
  shippedFile: string;
  /** Absolute path of the learner's copy of this lab, workspace/<id> (see kit/workspace.ts). */
  workspaceDir: string;
  /** Absolute path of the learner's own server, workspace/<id>/server.ts: what `check` judges. */
  serverFile: string;
  /** Absolute path of the reference fix solutions/<id>/server.ts. */
  solutionFile: string;
  /** Absolute path of labs/<id>/README.md. */
  readme: string;
  /** The course page that teaches the cause, a site path such as '/causes/unbounded-cache/'. */
  coursePage: string;
  /** The lab's own page on the site, e.g. '/labs/01-unbounded-cache/'. */
  labPage: string;
  /** Progressive hints, at least three; the last one is close to the answer. */
  hints: string[];
  /**
   * Set for a lab meant to be run until it dies of its heap cap (the post-mortem capstone): the hub
   * starts it under this cap with a snapshot written near the heap limit, and offers "run until it
   * dies". Other labs leave it unset.
   */
  crashRun?: CrashRun;
}

/** How a lab is run to its death in the hub (see LabInfo.crashRun). */
export interface CrashRun {
  /** --max-old-space-size for the run, MiB: small enough that the crash comes within minutes. */
  heapMb: number;
  /**
   * The id in site/data/measured.json of how many operations the lab's own workload takes to
   * exhaust that cap, per Node line (it differs: from Node 22 on V8 raises the limit to write the
   * near-limit snapshot, and the process lives on). The hub shows progress against it.
   */
  diesAfter: string;
}

export interface Course {
  /** Absolute project root the paths were derived from. */
  root: string;
  /** The labs in course order. */
  labs: LabInfo[];
}

/** The manifest is missing, malformed or names something that does not exist, or a lab name is unknown. */
export class CourseError extends Error {
  /** Each problem as one sentence (a single one for an unknown lab name). */
  readonly problems: string[];

  constructor(message: string, problems: string[] = [message]) {
    super(message);
    this.name = 'CourseError';
    this.problems = problems;
  }
}

const MANIFEST_PATH = path.join('labs', 'course.json');
const ID_PATTERN = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;
const SITE_PATH_PATTERN = /^\/(?:[a-z0-9-]+\/)+$/;
const MIN_HINTS = 3;
const LAB_KEYS = ['id', 'title', 'cause', 'operation', 'coursePage', 'hints', 'crashRun'] as const;
const COURSE_KEYS = ['$schema', 'labs'] as const;

/** The project root: the folder that holds kit/ (this file lives in kit/). */
export function projectRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
}

/** Read and validate labs/course.json under `root` (default: this project). Throws CourseError listing every problem. */
export function loadCourse(root: string = projectRoot()): Course {
  const absoluteRoot = path.resolve(root);
  const file = path.join(absoluteRoot, MANIFEST_PATH);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CourseError(`${MANIFEST_PATH} not found under ${absoluteRoot}: the course manifest is missing.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CourseError(`${MANIFEST_PATH} is not valid JSON: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  const labs = parseCourse(data, absoluteRoot, problems);
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    throw new CourseError(`${MANIFEST_PATH} has ${count}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, problems);
  }
  return { root: absoluteRoot, labs };
}

/** Find a lab by '01', 'unbounded-cache' or '01-unbounded-cache'. Throws CourseError naming the valid names. */
export function findLab(course: Course, name: string): LabInfo {
  const wanted = name.trim().toLowerCase().replace(/\/+$/, '');
  const found = course.labs.find((lab) => lab.id === wanted || lab.number === wanted || lab.slug === wanted);
  if (found) return found;
  const valid = course.labs.map((lab) => `${lab.number} (${lab.slug})`).join(', ');
  throw new CourseError(`There is no lab "${name}". Name one of: ${valid}.`);
}

function parseCourse(data: unknown, root: string, problems: string[]): LabInfo[] {
  if (!isRecord(data)) {
    problems.push('the manifest must be a JSON object with a "labs" array');
    return [];
  }
  for (const key of Object.keys(data)) {
    if (!(COURSE_KEYS as readonly string[]).includes(key)) problems.push(`unknown top-level key "${key}"`);
  }
  if (!Array.isArray(data.labs) || data.labs.length === 0) {
    problems.push('"labs" must be a non-empty array');
    return [];
  }
  const labs: LabInfo[] = [];
  data.labs.forEach((entry: unknown, index: number) => {
    const lab = parseLab(entry, `labs[${index}]`, root, problems);
    if (lab) labs.push(lab);
  });
  checkAcrossLabs(labs, problems);
  return labs;
}

function parseLab(entry: unknown, where: string, root: string, problems: string[]): LabInfo | undefined {
  if (!isRecord(entry)) {
    problems.push(`${where} must be an object`);
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(entry)) {
    if (!(LAB_KEYS as readonly string[]).includes(key)) problems.push(`${where}: unknown key "${key}"`);
  }

  const id = entry.id;
  const idMatch = typeof id === 'string' ? ID_PATTERN.exec(id) : null;
  if (!idMatch) problems.push(`${where}.id must look like "01-unbounded-cache" (two digits, a dash, lower-case words), got ${show(id)}`);
  const label = typeof id === 'string' ? `${where} (${id})` : where;

  const title = requireText(entry.title, `${label}.title`, problems);
  const cause = requireText(entry.cause, `${label}.cause`, problems);
  if (cause !== undefined && cause.includes('\n')) problems.push(`${label}.cause must be one line`);

  // The unit of load as a learner says it ('request', 'price refresh'); the lab's check.ts drives it.
  const operation = requireText(entry.operation, `${label}.operation`, problems);
  const crashRun = entry.crashRun;
  if (crashRun !== undefined && !(isRecord(crashRun) && isPositive(crashRun.heapMb) && typeof crashRun.diesAfter === 'string' && Object.keys(crashRun).length === 2)) {
    problems.push(`${label}.crashRun must be { "heapMb": <MiB>, "diesAfter": "<id in site/data/measured.json>" }, got ${show(crashRun)}`);
  }

  const coursePage = entry.coursePage;
  if (typeof coursePage !== 'string' || !SITE_PATH_PATTERN.test(coursePage)) {
    problems.push(`${label}.coursePage must be a site path such as "/causes/closures/", got ${show(coursePage)}`);
  }

  const hints = entry.hints;
  if (!Array.isArray(hints) || hints.length < MIN_HINTS) {
    problems.push(`${label}.hints must be an array of at least ${MIN_HINTS} hints, from a nudge to nearly the answer`);
  } else {
    hints.forEach((hint: unknown, i: number) => {
      if (typeof hint !== 'string' || hint.trim() === '') problems.push(`${label}.hints[${i}] is empty`);
    });
  }

  if (!idMatch) return undefined;
  const labId = idMatch[0];
  const dir = path.join(root, 'labs', labId);
  const workspaceDir = path.join(workspaceRoot(root), labId);
  const info: LabInfo = {
    id: labId,
    number: idMatch[1]!,
    slug: idMatch[2]!,
    title: title ?? '',
    cause: cause ?? '',
    operation: operation ?? '',
    dir,
    shippedFile: path.join(dir, 'server.ts'),
    workspaceDir,
    serverFile: path.join(workspaceDir, 'server.ts'),
    solutionFile: path.join(root, 'solutions', labId, 'server.ts'),
    readme: path.join(dir, 'README.md'),
    coursePage: typeof coursePage === 'string' ? coursePage : '',
    labPage: `/labs/${labId}/`,
    hints: Array.isArray(hints) ? hints.map(String) : [],
    ...(isRecord(crashRun) ? { crashRun: { heapMb: Number(crashRun.heapMb), diesAfter: String(crashRun.diesAfter) } } : {}),
  };
  for (const [what, file] of [
    ['server', info.shippedFile],
    ['check plan', path.join(dir, 'check.ts')],
    ['solution', info.solutionFile],
    ['README', info.readme],
  ] as const) {
    if (!existsSync(file)) problems.push(`${label}: the ${what} file ${path.relative(root, file)} does not exist`);
  }
  return problems.length === before ? info : undefined;
}

/** Ids, numbers and slugs must be unique, and the labs listed in the order of their numbers. */
function checkAcrossLabs(labs: LabInfo[], problems: string[]): void {
  for (const field of ['id', 'number', 'slug'] as const) {
    const seen = new Set<string>();
    for (const lab of labs) {
      if (seen.has(lab[field])) problems.push(`two labs share the ${field} "${lab[field]}"`);
      seen.add(lab[field]);
    }
  }
  for (let i = 1; i < labs.length; i += 1) {
    if (labs[i]!.number <= labs[i - 1]!.number) {
      problems.push(`labs must be listed in order of their numbers: ${labs[i]!.id} comes after ${labs[i - 1]!.id}`);
    }
  }
}

function requireText(value: unknown, where: string, problems: string[]): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${where} must be a non-empty string, got ${show(value)}`);
    return undefined;
  }
  return value;
}

function isPositive(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
