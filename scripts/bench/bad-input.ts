/**
 * How soon a learner hears what is wrong with a broken file: the real CLI (`leaklab check 01
 * --entry FILE`) on each bad-input fixture, from the command starting to its exit, against the
 * goal for that kind of mistake. The tests prove the message and the exit code
 * (test/cli/bad-input.test.ts); this measures the time, which depends on the machine.
 *
 * `measureBadInput()` is what `npm run bench` can call, and `formatBadInput()` prints its table;
 * run this file alone with `node --import tsx scripts/bench/bad-input.ts [--repeats N]`.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../../kit/verdict/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SYNTHETIC = path.join(ROOT, 'test', 'fixtures', 'synthetic');
const CLI = path.join(ROOT, 'cli', 'leaklab.js');

interface BadInput {
  name: string;
  /** The fixture, in test/fixtures/synthetic (a .txt is copied to a server.ts first). */
  fixture: string;
  /** How soon the learner should know, on an idle two-core machine (ms). */
  goalMs: number;
}

/** Each kind of broken file, with its goal: most are told within seconds; "never listens" waits the listen timeout (10 s) first. */
export const BAD_INPUTS: readonly BadInput[] = [
  { name: 'does not compile', fixture: 'does-not-compile.ts.txt', goalMs: 8000 },
  { name: 'throws at start', fixture: 'throws-at-start.ts', goalMs: 8000 },
  { name: 'never listens', fixture: 'never-listens.ts', goalMs: 16_000 },
  { name: 'crashes under load', fixture: 'crashes-mid-run.ts', goalMs: 10_000 },
  { name: 'blocks its event loop', fixture: 'blocks-event-loop.ts', goalMs: 12_000 },
  { name: 'does not exist', fixture: 'no-such-file.ts', goalMs: 5000 },
];

export interface BadInputRow {
  name: string;
  goalMs: number;
  /** Time from start to exit of each run, ms. */
  runsMs: number[];
  medianMs: number;
  /** Exit codes seen (2 expected: could not run). */
  exitCodes: number[];
}

/** Run `leaklab check 01 --entry FILE` to its exit; answers the time and the exit code. */
function timeCheck(file: string, env: Record<string, string>): Promise<{ ms: number; code: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'check', '01', '--entry', file], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: 'ignore' });
    child.on('close', (code) => resolve({ ms: performance.now() - started, code: code ?? -1 }));
  });
}

export async function measureBadInput(options: { repeats?: number } = {}): Promise<BadInputRow[]> {
  const repeats = options.repeats ?? 3;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'leaklab-bench-bad-'));
  // The learner's workspace copies must resolve the project's node_modules: under output/, as the tests do.
  mkdirSync(path.join(ROOT, 'output'), { recursive: true });
  const workspace = mkdtempSync(path.join(ROOT, 'output', 'bench-workspace-'));
  const env = { LEAKLAB_WORKSPACE: workspace, LEAKLAB_OUTPUT: path.join(scratch, 'output') };
  try {
    const rows: BadInputRow[] = [];
    for (const bad of BAD_INPUTS) {
      let file = path.join(SYNTHETIC, bad.fixture);
      if (file.endsWith('.txt')) {
        file = path.join(scratch, 'server.ts');
        copyFileSync(path.join(SYNTHETIC, bad.fixture), file);
      }
      const runs: Array<{ ms: number; code: number }> = [];
      for (let i = 0; i < repeats; i++) runs.push(await timeCheck(file, env));
      const runsMs = runs.map((run) => Math.round(run.ms));
      rows.push({ name: bad.name, goalMs: bad.goalMs, runsMs, medianMs: median(runsMs), exitCodes: runs.map((run) => run.code) });
    }
    return rows;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  }
}

export function formatBadInput(rows: BadInputRow[]): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = ['Time to the message about a broken file (leaklab check 01 --entry FILE, start to exit, median):'];
  for (const row of rows) {
    const verdict = row.medianMs <= row.goalMs ? 'ok' : 'SLOWER THAN THE GOAL';
    const exits = row.exitCodes.every((code) => code === 2) ? '' : `   exit codes ${row.exitCodes.join(', ')} (2 expected)`;
    lines.push(`  ${row.name.padEnd(24)} ${seconds(row.medianMs).padStart(7)}   (goal: ≤ ${seconds(row.goalMs)}) ${verdict}${exits}`);
  }
  return lines.join('\n');
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({ options: { repeats: { type: 'string', default: '3' } } });
  console.log(formatBadInput(await measureBadInput({ repeats: Number(values.repeats) })));
}
