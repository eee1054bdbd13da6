/**
 * Record the verdict files that the scoreboard and reporter tests read (test/fixtures/verdicts/):
 * real `leaklab check --all` runs of a small made-up cohort, on a scratch copy of the course whose
 * workspace (the learners' files) holds, for each lab, the shipped lab, the reference fix, or one of the checker's own
 * fixtures (a broken fix, a server that cannot start). Re-record when the Verdict shape changes:
 *
 *   node --import tsx scripts/ci/record-verdicts.ts
 *
 * The runs happen one after another, a pause apart (LEAKLAB_RECORD_PAUSE_S, default 75 s) so that
 * the times to first pass the tests derive from them are minutes, as a session's are; the times
 * are as real as the verdicts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCourse } from '../../kit/manifest.ts';
import { ensureWorkspace } from '../../kit/workspace.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = path.join(ROOT, 'test', 'fixtures', 'verdicts');

/** What a learner's file holds for a lab: the shipped lab, the reference fix, or a checker fixture. */
type Source = 'shipped' | 'solution' | { fixture: string };

interface Run {
  learner: string;
  /** Lab number → source; labs not named stay as shipped. */
  files: Record<string, Source>;
}

const COHORT: Run[] = [
  { learner: 'ada', files: {} },
  { learner: 'grace', files: { '01': { fixture: 'labs/01-unbounded-cache/broken-no-cache.ts' }, '02': 'solution', '04': { fixture: 'bad/throws-at-start.ts' } } },
  { learner: 'ada', files: { '01': 'solution', '02': 'solution' } },
  { learner: 'grace', files: { '01': 'solution', '02': 'solution', '03': 'solution' } },
  { learner: 'ada', files: { '01': 'solution', '02': { fixture: 'labs/02-sse-listener/leak-removed-on-finish.ts' }, '03': 'solution' } },
];

/** A scratch course whose labs the runs overwrite; kit and packages are the real ones. */
function scratchCourse(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'leaklab-record-'));
  for (const folder of ['labs', 'solutions']) cpSync(path.join(ROOT, folder), path.join(dir, folder), { recursive: true });
  for (const link of ['kit', 'node_modules']) symlinkSync(path.join(ROOT, link), path.join(dir, link));
  cpSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  return dir;
}

function committed(file: string): string {
  return execFileSync('git', ['show', `HEAD:${file}`], { cwd: ROOT, encoding: 'utf8' });
}

/** A fixture's text with its imports of the lab's own modules turned into the learner file's './x.ts'. */
function asLearnerFile(fixture: string, labId: string): string {
  return readFileSync(path.join(ROOT, 'test', 'fixtures', fixture), 'utf8').replace(new RegExp(`(?:\\.\\./)+labs/${labId}/`, 'g'), './');
}

const PAUSE_MS = Number(process.env.LEAKLAB_RECORD_PAUSE_S ?? 75) * 1000;

const scratch = scratchCourse();
// The learners' files: the scratch course's own workspace, made as the CLI makes it on first use.
process.env.LEAKLAB_WORKSPACE = path.join(scratch, 'workspace');
try {
  const counts = new Map<string, number>();
  for (const [i, run] of COHORT.entries()) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    const course = loadCourse(scratch);
    ensureWorkspace(course.labs);
    for (const lab of course.labs) {
      const source = run.files[lab.number] ?? 'shipped';
      // The committed files, not the working copy: a maintainer's own edits never leak into fixtures.
      const text =
        source === 'shipped'
          ? committed(`labs/${lab.id}/server.ts`)
          : source === 'solution'
            ? committed(`solutions/${lab.id}/server.ts`)
            : asLearnerFile(source.fixture, lab.id);
      writeFileSync(lab.serverFile, text);
    }
    const n = (counts.get(run.learner) ?? 0) + 1;
    counts.set(run.learner, n);
    const file = path.join(OUT, `${run.learner}-${n}.json`);
    console.log(`recording ${path.relative(ROOT, file)} …`);
    const result = spawnSync(process.execPath, [path.join(ROOT, 'cli', 'leaklab.js'), 'check', '--all', '--learner', run.learner, '--reporter', `json=${file}`], {
      cwd: ROOT,
      env: { ...process.env, LEAKLAB_ROOT: scratch, NO_COLOR: '1' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (result.status === null || result.status > 2) throw new Error(`check --all ended with ${result.status ?? result.signal}`);
  }
  execFileSync('git', ['status', '--short', OUT], { cwd: ROOT, stdio: 'inherit' });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
