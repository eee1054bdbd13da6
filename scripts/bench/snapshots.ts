/**
 * `npm run bench:snapshots`: how much memory and time the hub's snapshot comparison takes on big
 * snapshots. A child process builds a heap of records with closures, strings and Maps and writes a
 * ~41 MB and a ~65 MB snapshot of it (the sizes of lab 04's after a long session); a fresh process
 * then compares them exactly as the hub does (hub/analyse.ts: a worker with a memory cap), and
 * reports its peak memory above what it used before, and the time.
 *
 * Goals: extra peak memory under 4× the larger file, and at most 15 s on the project's machine.
 * Prints the figures and writes output/bench/snapshots.json.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import v8 from 'node:v8';

const MB = 1_000_000;
const MiB = 1024 * 1024;
const TARGETS = { before: 41 * MB, after: 65 * MB };
const GOAL_MEMORY_FACTOR = 4;
const GOAL_SECONDS = 15;
const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

// ------------------------------------------------------------------------------------------------
// Child 1 (--write DIR): build a heap and write the two snapshots.

/** A record like a leaking server keeps: an object, its strings and array, a closure over it. */
function makeRecords(from: number, count: number, into: Map<string, unknown>): void {
  for (let i = from; i < from + count; i++) {
    const record = { id: `r${i.toString(36)}`, name: `customer ${i}`, tags: [`t${i % 97}`, `g${i % 13}`], at: new Date(1_700_000_000_000 + i) };
    into.set(record.id, { record, onUpdate: () => record.name.length });
  }
}

async function writePair(dir: string): Promise<void> {
  const kept = new Map<string, unknown>();
  let made = 0;
  // Calibrate: bytes of snapshot per record, from one small snapshot.
  const empty = (await stat(v8.writeHeapSnapshot(path.join(dir, 'calibrate-0.heapsnapshot')))).size;
  makeRecords(made, 20_000, kept);
  made += 20_000;
  const small = (await stat(v8.writeHeapSnapshot(path.join(dir, 'calibrate-1.heapsnapshot')))).size;
  const perRecord = (small - empty) / 20_000;
  for (const [name, target] of Object.entries(TARGETS)) {
    const need = Math.max(0, Math.round((target - small) / perRecord) + 20_000 - made);
    makeRecords(made, need, kept);
    made += need;
    v8.writeHeapSnapshot(path.join(dir, `${name}.heapsnapshot`));
  }
  await Promise.all(['calibrate-0', 'calibrate-1'].map((n) => rm(path.join(dir, `${n}.heapsnapshot`))));
}

// ------------------------------------------------------------------------------------------------
// Child 2 (--compare DIR): compare them as the hub does, and report memory and time.

async function compare(dir: string): Promise<void> {
  const { analyseInWorker } = await import('../../hub/analyse.ts');
  const rssBefore = process.memoryUsage.rss();
  const started = performance.now();
  const stages: Record<string, number> = {};
  const analysis = await analyseInWorker(
    { beforePath: path.join(dir, 'before.heapsnapshot'), afterPath: path.join(dir, 'after.heapsnapshot'), options: { rows: 15 } },
    { onProgress: (p) => (stages[p.stage] ??= performance.now() - started) },
  );
  const seconds = (performance.now() - started) / 1000;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ rssBefore, peakRss, seconds, stages, top: analysis.top?.name, pathLine: analysis.pathLine }));
}

// ------------------------------------------------------------------------------------------------
// The bench itself.

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'leaklab-bench-snapshots-'));
  const self = path.join(ROOT, 'scripts', 'bench', 'snapshots.ts');
  try {
    console.log('Writing a ~41 MB and a ~65 MB heap snapshot…');
    await run(process.execPath, ['--import', 'tsx', '--max-old-space-size=2048', self, '--write', dir], { cwd: ROOT, maxBuffer: 1 << 20 });
    const sizes = { before: (await stat(path.join(dir, 'before.heapsnapshot'))).size, after: (await stat(path.join(dir, 'after.heapsnapshot'))).size };
    console.log(`  baseline ${(sizes.before / MB).toFixed(1)} MB, later ${(sizes.after / MB).toFixed(1)} MB`);
    console.log('Comparing them as the hub does (worker with a memory cap), in a fresh process…');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', self, '--compare', dir], { cwd: ROOT, maxBuffer: 1 << 20 });
    const result = JSON.parse(stdout) as { rssBefore: number; peakRss: number; seconds: number; stages: Record<string, number>; top?: string; pathLine?: string };
    const larger = Math.max(sizes.before, sizes.after);
    const extra = result.peakRss - result.rssBefore;
    const factor = extra / larger;
    const memoryOk = factor < GOAL_MEMORY_FACTOR;
    const timeOk = result.seconds <= GOAL_SECONDS;
    console.log(`  stages (s from start): ${Object.entries(result.stages).map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)}`).join(', ')}`);
    console.log(`  top growing constructor: ${result.top ?? '(none)'}; path: ${result.pathLine ?? '(none)'}`);
    console.log(`  extra peak memory ${(extra / MiB).toFixed(0)} MiB = ${factor.toFixed(2)}× the larger file (goal < ${GOAL_MEMORY_FACTOR}×): ${memoryOk ? 'ok' : 'MISSED'}`);
    console.log(`  time ${result.seconds.toFixed(1)} s (goal ≤ ${GOAL_SECONDS} s): ${timeOk ? 'ok' : 'MISSED'}`);
    const out = path.join(ROOT, 'output', 'bench');
    await mkdir(out, { recursive: true });
    await writeFile(
      path.join(out, 'snapshots.json'),
      `${JSON.stringify({ node: process.version, sizes, extraPeakBytes: extra, factor, seconds: result.seconds, stages: result.stages, memoryOk, timeOk }, null, 2)}\n`,
    );
    process.exitCode = memoryOk && timeOk ? 0 : 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const [mode, dir] = process.argv.slice(2);
if (mode === '--write') await writePair(dir!);
else if (mode === '--compare') await compare(dir!);
else await main();
