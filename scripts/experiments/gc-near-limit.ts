/**
 * What GC looks like just before an out-of-memory crash. A leaking process runs with a 64 MB
 * old-space cap and --trace-gc; near the limit, full mark-compacts come back to back, each pausing
 * the program for tens of milliseconds, and the mutator utilisation (mu, the share of time the
 * program itself runs) falls far below 1 until V8 aborts with "Ineffective mark-compacts near heap
 * limit" or "Reached heap limit" (which of the two depends on the run and the Node line). Pauses
 * grow with the heap: a larger cap gives longer ones, so the course quotes the mu, not a fixed
 * multiplier.
 *
 *   node --import tsx scripts/experiments/gc-near-limit.ts
 */
import { fileURLToPath } from 'node:url';
import { report } from './lib/harness.ts';
import { runNode } from './lib/node-child.ts';
import { parseTraceGc } from './lib/trace-gc.ts';

const HEAP_CAP_MIB = 64;
/** How many of the final full GCs to describe: "the last few", as V8's own crash report shows. */
const LAST_FULL_GCS = 5;

const subject = fileURLToPath(new URL('./lib/grow-until-oom.ts', import.meta.url));
const outcome = await runNode([`--max-old-space-size=${HEAP_CAP_MIB}`, '--trace-gc', '--import', 'tsx', subject], {
  timeoutMs: 60_000,
});

const fullGcs = parseTraceGc(outcome.stdout).filter((gc) => gc.full);
const last = fullGcs.slice(-LAST_FULL_GCS);
const fatal = /FATAL ERROR: ([^\n]+)/.exec(outcome.stderr)?.[1] ?? null;
const range = (values: number[]) => [Math.min(...values), Math.max(...values)];
const gaps = last.slice(1).map((gc, i) => gc.atMs - last[i]!.atMs);
const mus = last.map((gc) => gc.currentMu).filter((mu): mu is number => mu !== null).sort((a, b) => a - b);
const windowMs = last.at(-1)!.atMs - last[0]!.atMs;
const pausedInWindowMs = last.slice(1).reduce((total, gc) => total + gc.pauseMs, 0);

report(
  {
    heapCapMiB: HEAP_CAP_MIB,
    exitSignal: outcome.signal,
    exitCode: outcome.code,
    runMs: outcome.durationMs,
    fullGcCount: fullGcs.length,
    lastFullGcPauseMs: range(last.map((gc) => gc.pauseMs)),
    lastFullGcGapMs: range(gaps),
    lastFullGcMu: range(mus),
    // One GC can land between two bursts and show a high mu: the median says what dominates.
    lastFullGcMedianMu: mus[Math.floor(mus.length / 2)],
    // Share of wall time spent paused in those last full GCs alone (scavenges not counted).
    pausedShareOfLastWindow: Math.round((pausedInWindowMs / windowMs) * 100) / 100,
    fatalError: fatal,
  },
  `${HEAP_CAP_MIB} MB cap: last ${LAST_FULL_GCS} full GCs paused ${range(last.map((gc) => gc.pauseMs)).join('-')} ms, mu ${range(mus).join('-')}; ${fatal}`,
);
