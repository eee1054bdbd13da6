/**
 * `npm run bench [-- --runs N]`: how far the checker can be trusted, and how fast it answers.
 * Each lab as shipped (must leak), each solution (must pass), a synthetic server retaining ~200
 * bytes per request (must leak) and a no-leak baseline (must pass) are checked N times (default 20).
 * Prints, per case, the verdicts (wrong ones counted), median and max time from spawn to verdict,
 * then the wall time of `leaklab check --all` over the labs and over the solutions, then the lab's
 * throughput with and without the probe (scripts/bench-probe.ts).
 * Goals: zero wrong verdicts, median ≤ 5 s per lab, check --all (labs + solutions) < 60 s, and at
 * least 95 % of the lab's throughput kept with the probe sampling it as the hub does.
 * Writes output/bench/latest.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkLab } from '../kit/check.ts';
import { syntheticCheck } from '../kit/lab-checks/synthetic.ts';
import type { LabCheck } from '../kit/lab-checks/index.ts';
import { loadCourse, projectRoot } from '../kit/manifest.ts';
import { median } from '../kit/verdict.ts';
import { formatProbeOverhead, measureProbeOverhead } from './bench-probe.ts';
import type { VerdictStatus } from '../kit/types.ts';

interface BenchCase {
  name: string;
  labId: string;
  entry: string;
  expected: VerdictStatus;
  check?: LabCheck;
}

interface CaseResult {
  name: string;
  expected: VerdictStatus;
  verdicts: Partial<Record<VerdictStatus, number>>;
  wrong: number;
  medianMs: number;
  maxMs: number;
  medianBytesPerOp: number;
  /** The first wrong verdict's reasons, to start an investigation from. */
  firstWrong?: string[];
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, only: { type: 'string' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);

const root = projectRoot();
const course = loadCourse(root);
const synthetic = path.join(root, 'test', 'fixtures', 'synthetic');
const cases: BenchCase[] = [
  ...course.labs.map((lab) => ({ name: `${lab.id} (as shipped)`, labId: lab.id, entry: lab.shippedFile, expected: 'leak' as const })),
  ...course.labs.map((lab) => ({ name: `${lab.id} (solution)`, labId: lab.id, entry: lab.solutionFile, expected: 'pass' as const })),
  { name: 'synthetic: retains ~200 B/request', labId: 'synthetic', entry: path.join(synthetic, 'retain-200-bytes.ts'), expected: 'leak' as const, check: syntheticCheck },
  { name: 'synthetic: no-leak baseline', labId: 'synthetic', entry: path.join(synthetic, 'no-leak.ts'), expected: 'pass' as const, check: syntheticCheck },
].filter((c) => !values.only || c.name.includes(values.only));

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

console.log(`Leak Lab bench: ${cases.length} cases × ${runs} runs (Node ${process.version})\n`);
const results: CaseResult[] = [];
for (const benchCase of cases) {
  const times: number[] = [];
  const slopes: number[] = [];
  const result: CaseResult = { name: benchCase.name, expected: benchCase.expected, verdicts: {}, wrong: 0, medianMs: 0, maxMs: 0, medianBytesPerOp: 0 };
  for (let i = 0; i < runs; i++) {
    const verdict = await checkLab({ target: { labId: benchCase.labId, entry: benchCase.entry }, check: benchCase.check });
    result.verdicts[verdict.status] = (result.verdicts[verdict.status] ?? 0) + 1;
    if (verdict.status !== benchCase.expected) {
      result.wrong += 1;
      result.firstWrong ??= verdict.reasons;
    }
    times.push(verdict.durationMs);
    slopes.push(verdict.bytesPerOp);
    process.stdout.write(verdict.status === benchCase.expected ? '.' : 'X');
  }
  result.medianMs = median(times);
  result.maxMs = Math.max(...times);
  result.medianBytesPerOp = Math.round(median(slopes));
  results.push(result);
  const counts = Object.entries(result.verdicts).map(([status, n]) => `${status} ${n}`).join(', ');
  console.log(
    `\n${benchCase.name.padEnd(42)} expect ${benchCase.expected.padEnd(5)} got ${counts.padEnd(16)} wrong ${result.wrong}  ` +
      `median ${seconds(result.medianMs)}  max ${seconds(result.maxMs)}  ~${result.medianBytesPerOp} B/op`,
  );
  if (result.firstWrong) console.log(`   first wrong verdict: ${result.firstWrong.join(' | ')}`);
}

/** Wall time of the real CLI, the way a learner or a team session runs it. */
function timeCheckAll(extra: string[]): { ms: number; exitCode: number | null } {
  const started = Date.now();
  const run = spawnSync(process.execPath, [path.join(root, 'cli', 'leaklab.js'), 'check', '--all', '--json', ...extra], { cwd: root, encoding: 'utf8' });
  return { ms: Date.now() - started, exitCode: run.status };
}

const allLabs = values.only ? undefined : timeCheckAll([]);
const allSolutions = values.only ? undefined : timeCheckAll(['--solution']);
const probe = values.only ? undefined : await measureProbeOverhead();
const wrong = results.reduce((sum, r) => sum + r.wrong, 0);
const worstMedian = Math.max(...results.map((r) => r.medianMs));
const checkAllMs = allLabs && allSolutions ? allLabs.ms + allSolutions.ms : undefined;

console.log('\nSummary');
console.log(`  wrong verdicts:            ${wrong} of ${results.length * runs}            (goal: 0)`);
console.log(`  worst median per case:     ${seconds(worstMedian)}             (goal: ≤ 5 s)`);
console.log(`  worst single run:          ${seconds(Math.max(...results.map((r) => r.maxMs)))}`);
if (allLabs && allSolutions && checkAllMs !== undefined) {
  console.log(`  check --all, labs:         ${seconds(allLabs.ms)} (exit ${allLabs.exitCode}, expected 1)`);
  console.log(`  check --all, solutions:    ${seconds(allSolutions.ms)} (exit ${allSolutions.exitCode}, expected 0)`);
  console.log(`  check --all, both:         ${seconds(checkAllMs)}            (goal: < 60 s)`);
}
if (probe) console.log(`\n${formatProbeOverhead(probe)}`);

const outDir = path.join(root, 'output', 'bench');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  path.join(outDir, 'latest.json'),
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      node: process.version,
      runs,
      cases: results,
      wrongVerdicts: wrong,
      worstMedianMs: worstMedian,
      checkAll: allLabs && allSolutions ? { labsMs: allLabs.ms, labsExit: allLabs.exitCode, solutionsMs: allSolutions.ms, solutionsExit: allSolutions.exitCode, totalMs: checkAllMs } : undefined,
      probeOverhead: probe,
      goals: { wrongVerdicts: 0, medianMsPerLab: 5000, checkAllMs: 60_000, probeThroughputKept: 0.95 },
    },
    null,
    2,
  )}\n`,
);
console.log(`\nWritten: ${path.relative(root, path.join(outDir, 'latest.json'))}`);
const goalsMet =
  wrong === 0 && worstMedian <= 5000 && (checkAllMs === undefined || checkAllMs < 60_000) && (probe === undefined || probe.kept >= 0.95);
process.exitCode = goalsMet ? 0 : 1;
