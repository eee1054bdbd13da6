/**
 * What the checker needs from a lab: how to drive it, which exact counters betray its leak, which
 * memory series to judge, and how to prove the feature still works. Each lab's plan lives with the
 * lab, in labs/NN-name/check.ts (the registry in kit/check-plans.ts finds it by the lab's folder);
 * the checker (kit/check.ts) runs it in rounds, and the hub drives the same workload for its load
 * buttons, so what a learner watches is what is judged.
 */
import type http from 'node:http';
import type { LabProcess } from './lab-process.ts';
import type { LoadResult, Progress } from './load/index.ts';
import type { FunctionalResult, ProbeSample } from './types.ts';
import type { SeriesName } from './verdict/index.ts';

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

/** An exact counter read from a sample: listeners on a bus, active timers, bodies alive. */
export interface CounterSignal {
  /** What a learner reads, e.g. "'update' listeners on the bus". */
  label: string;
  read(sample: ProbeSample): number;
}

/**
 * One run of a lab's workload against one lab process: it may hold long-lived clients (a stream
 * opened before the load and still expected to work after it) and tallies of what the load saw.
 */
export interface LabRun {
  /** Drive `n` operations. Never rejects for a learner mistake: failures are counted. */
  round(n: number): Promise<LoadResult>;
  /** Does the feature still work, under and after the load? Each check is one sentence a learner understands. */
  verify(): Promise<FunctionalResult[]>;
  /** Close whatever the run holds open. */
  close(): void | Promise<void>;
}

export interface LabCheck {
  /** LEAKLAB_* tunables the lab runs with, in the check and in the hub (a short cache TTL, ...). */
  env: Record<string, string>;
  /** What each of those settings means, by variable (from the lab's tunables, for the hub's panel). */
  about?: Record<string, string>;
  /** Operations per round: sized so one round's retention at 200 B per operation clears the lab's round-to-round noise. */
  roundSize: number;
  /** Rounds driven before measuring: lazy initialisation and bounded structures filling up happen here (default 2). */
  warmupRounds?: number;
  /** Most measured rounds when the trend stays undecided: the check's time budget (default 14). */
  maxRounds?: number;
  series: SeriesName;
  /** Exact counters that betray this lab's leak on their own (default: none, the memory trend decides). */
  counters?: CounterSignal[];
  /**
   * How one operation shows inside the server: an HTTP 'request' (of this method, on a path that
   * matches this pattern) or a websocket 'upgrade'. The bench injects a known leak per operation
   * this way to measure what the lab can detect.
   */
  recognise: { event: 'request' | 'upgrade'; method?: string; path?: string };
  /**
   * Wait this long after each round before forcing GC and sampling (default: the probe's few ms),
   * so that one-shot timers and closing sockets that end by themselves are gone: only what stays
   * is counted. Every sample waits the same, so the wait cannot show up as a step in the trend.
   */
  settleMs?: number;
  /** Start a run against a listening lab. */
  start(ctx: LabContext): Promise<LabRun>;
}

/** A plan with its defaults filled in: what the checker runs. */
export type CheckPlan = LabCheck & Required<Pick<LabCheck, 'warmupRounds' | 'maxRounds' | 'counters'>>;

/**
 * Two warm-up rounds fill every lab's bounded structures before measuring; 14 measured rounds bound
 * how long a check takes when the trend stays undecided, before it says "inconclusive".
 */
export function withDefaults(check: LabCheck): CheckPlan {
  return { ...check, warmupRounds: check.warmupRounds ?? 2, maxRounds: check.maxRounds ?? 14, counters: check.counters ?? [] };
}

/** Run a functional check, turning an exception (a timeout, a refused connection) into a failed result. */
export async function functionalCheck(name: string, body: () => Promise<{ passed: boolean; detail: string }>): Promise<FunctionalResult> {
  try {
    return { name, ...(await body()) };
  } catch (error) {
    return { name, passed: false, detail: `it failed with: ${(error as Error).message}` };
  }
}

/**
 * What the load itself proves about the feature: every answer checked as it arrives, tallied by
 * the promise it keeps ("each id gets its own record"). A promise broken even once under load
 * fails, with the first broken answer as its evidence.
 */
export class LoadTally {
  private readonly promises = new Map<string, { kept: number; broken: number; first?: string; summary: (kept: number) => string }>();

  /** Declare a promise, with the sentence that describes it kept `kept` times. */
  promise(name: string, summary: (kept: number) => string): void {
    if (!this.promises.has(name)) this.promises.set(name, { kept: 0, broken: 0, summary });
  }

  /** Count one answer for `name`: kept, or broken as `detail` says. */
  check(name: string, kept: boolean, detail: () => string): void {
    const entry = this.promises.get(name);
    if (!entry) throw new Error(`LoadTally: promise "${name}" was never declared`);
    if (kept) entry.kept += 1;
    else {
      entry.broken += 1;
      entry.first ??= detail();
    }
  }

  /** One functional result per promise that was put to the test. */
  results(): FunctionalResult[] {
    return [...this.promises.entries()]
      .filter(([, entry]) => entry.kept + entry.broken > 0)
      .map(([name, entry]) =>
        entry.broken === 0
          ? { name, passed: true, detail: entry.summary(entry.kept) }
          : { name, passed: false, detail: `under load, ${entry.broken} of ${entry.kept + entry.broken} answers broke it; the first: ${entry.first}` },
      );
  }
}

/** A run that only drives a stateless workload and checks the feature afterwards. */
export function simpleRun(round: (n: number) => Promise<LoadResult>, verify: () => Promise<FunctionalResult[]>): LabRun {
  return { round, verify, close: () => undefined };
}

export type { LoadResult };
