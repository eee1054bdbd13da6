/**
 * What the checker knows about one lab: its unit of work, how to drive it, which exact counters
 * betray the leak, which memory series to judge, and how to prove the feature still works.
 * The checker (kit/check.ts) runs these in rounds; the hub calls `runRound` for its load buttons.
 */
import type http from 'node:http';
import type { LabProcess } from '../lab-process.ts';
import type { LoadResult, Progress } from '../load/index.ts';
import type { FunctionalResult, ProbeSample } from '../types.ts';
import type { SeriesName } from '../verdict.ts';

/** Everything a workload needs while a lab process runs. */
export interface LabContext {
  /** The running lab (url, sample(), ...). */
  readonly lab: LabProcess;
  /** Base URL of the server, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** A keep-alive agent shared by the HTTP workloads of this run. */
  readonly agent: http.Agent;
  readonly signal?: AbortSignal;
  readonly onProgress?: Progress;
  /** A fresh id for each operation (never repeats within this context), so caches see new keys. */
  uniqueId(): string;
}

/** How a lab is run to its death in the hub (see LabCheck.crashRun). */
export interface CrashRun {
  /** --max-old-space-size for the run, MB: small enough that the crash comes within minutes. */
  heapMb: number;
  /** Roughly how long the lab's own workload takes to exhaust that cap here, seconds (shown to the learner). */
  aboutSeconds: number;
}

/** An exact counter read from a sample: listeners on a bus, active timers. */
export interface MechanismSignal {
  /** What a learner reads, e.g. "'update' listeners on the bus". */
  label: string;
  read(sample: ProbeSample): number;
}

export interface LabCheck {
  labId: string;
  /** The unit of load, as a learner would say it: 'request', 'SSE connection', ... */
  operation: string;
  /** LEAKLAB_* tunables the checker sets (a short cache TTL, ...). */
  env: Record<string, string>;
  /** Operations per round. */
  roundSize: number;
  /** Rounds driven before measuring: lazy initialisation and JIT settle here. */
  warmupRounds: number;
  /** Rounds that count (the post-warm-up sample plus one per measured round). */
  measuredRounds: number;
  series: SeriesName;
  mechanism: MechanismSignal[];
  /**
   * Wait this long after each round before forcing GC and sampling (default: the probe's few ms;
   * 50 ms before the final reading), so that one-shot timers and closing sockets that end by
   * themselves are gone: only what stays is counted. Every sample waits the same, so the wait
   * cannot show up as a step in the trend.
   */
  settleMs?: number;
  /**
   * Set for a lab meant to be run until it dies of its heap cap (the post-mortem capstone): the hub
   * starts it under this cap with a snapshot written near the heap limit, and offers "run until it
   * dies". Other labs leave it unset.
   */
  crashRun?: CrashRun;
  /** Drive `n` operations against the running lab. */
  runRound(ctx: LabContext, n: number): Promise<LoadResult>;
  /** Does the feature still work? Each check is one sentence a learner understands. */
  functional(ctx: LabContext): Promise<FunctionalResult[]>;
}

/** Run a functional check, turning an exception (a timeout, a refused connection) into a failed result. */
export async function functionalCheck(name: string, body: () => Promise<{ passed: boolean; detail: string }>): Promise<FunctionalResult> {
  try {
    return { name, ...(await body()) };
  } catch (error) {
    return { name, passed: false, detail: `it failed with: ${(error as Error).message}` };
  }
}
