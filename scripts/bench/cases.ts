/**
 * What the bench checks: every lab as shipped (must leak), every reference solution (must pass),
 * every learner file of the course self-check (the verdict its first line promises), and the
 * checker's own synthetic pair. Each case knows how to run one check.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkLab } from '../../kit/check.ts';
import type { LabCheck } from '../../kit/check-plan.ts';
import { loadCheckPlan } from '../../kit/check-plans.ts';
import type { Course, LabInfo } from '../../kit/manifest.ts';
import type { Verdict, VerdictStatus } from '../../kit/types.ts';
import syntheticCheck from '../../test/fixtures/synthetic/check.ts';
import { learnerFilesFor } from '../../test/fixtures/learner-files.ts';

export interface BenchCase {
  /** e.g. '01-unbounded-cache · solution', '02-sse-listener · fixtures/leak-once-rearmed'. */
  name: string;
  /** The lab it belongs to ('synthetic' for the checker's own pair). */
  labId: string;
  kind: 'shipped' | 'solution' | 'fixture' | 'synthetic';
  entry: string;
  expected: VerdictStatus;
  check?: LabCheck;
  operation?: string;
}

/** The preload that keeps a known number of bytes per operation (the sensitivity pass). */
const RETAIN_PRELOAD = pathToFileURL(path.resolve(import.meta.dirname, 'retain-per-operation.ts')).href;

export function benchCases(course: Course, root: string): BenchCase[] {
  const synthetic = path.join(root, 'test', 'fixtures', 'synthetic');
  return [
    ...course.labs.flatMap((lab): BenchCase[] => [
      { name: `${lab.id} · as shipped`, labId: lab.id, kind: 'shipped', entry: lab.shippedFile, expected: 'leak' },
      { name: `${lab.id} · solution`, labId: lab.id, kind: 'solution', entry: lab.solutionFile, expected: 'pass' },
      ...learnerFilesFor(lab, root).map((file): BenchCase => ({
        name: `${lab.id} · ${path.basename(file.source)}`,
        labId: lab.id,
        kind: 'fixture',
        entry: file.file,
        expected: file.expected,
      })),
    ]),
    { name: 'synthetic · retains ~230 B/request', labId: 'synthetic', kind: 'synthetic', entry: path.join(synthetic, 'retain-200-bytes.ts'), expected: 'leak', check: syntheticCheck, operation: 'request' },
    { name: 'synthetic · no-leak baseline', labId: 'synthetic', kind: 'synthetic', entry: path.join(synthetic, 'no-leak.ts'), expected: 'pass', check: syntheticCheck, operation: 'request' },
  ];
}

/** Check one case once. */
export function runCase(benchCase: BenchCase): Promise<Verdict> {
  return checkLab({ target: { labId: benchCase.labId, entry: benchCase.entry }, check: benchCase.check, operation: benchCase.operation });
}

/** Check `lab`'s reference solution with `bytes` of JS heap kept per operation by a preload beside it. */
export async function runInjected(lab: LabInfo, bytes: number): Promise<Verdict> {
  const { recognise } = await loadCheckPlan(lab.dir);
  const environment = {
    LEAKLAB_RETAIN_BYTES: String(bytes),
    LEAKLAB_RETAIN_ON: recognise.event,
    LEAKLAB_RETAIN_METHOD: recognise.method ?? '',
    LEAKLAB_RETAIN_PATH: recognise.path ?? '',
  };
  return checkLab({ target: { labId: lab.id, entry: lab.solutionFile }, nodeFlags: ['--import', RETAIN_PRELOAD], env: environment });
}
