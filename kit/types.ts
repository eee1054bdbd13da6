/**
 * The shared vocabulary of the lab kit: what a running lab reports, what a check is made of,
 * and what a verdict says. The CLI, the hub, the bench and the tests all speak these types.
 * Pure declarations: no I/O lives here.
 */

/** One reading of a lab process, taken by the probe inside it. All sizes in bytes. */
export interface ProbeSample {
  /** Milliseconds since the epoch, taken in the lab process. */
  t: number;
  /** True when the probe forced a full GC (global.gc()) just before reading. */
  afterGc: boolean;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  /** Used bytes of V8's old space alone (v8.getHeapSpaceStatistics()), see the heap-spaces experiment. */
  oldSpaceUsed: number;
  /**
   * Used bytes of each of V8's heap spaces by name (v8.getHeapSpaceStatistics()), e.g. old_space,
   * large_object_space, code_space; which spaces exist depends on the V8 version.
   */
  spaces: Record<string, number>;
  /** v8.getHeapStatistics().heap_size_limit: where the process dies. */
  heapSizeLimit: number;
  /** Counts by type from process.getActiveResourcesInfo(), e.g. { Timeout: 3, TCPSocketWrap: 2 }. */
  activeResources: Record<string, number>;
  /** Values of the gauges the lab's fixtures registered (kit/gauges.ts), e.g. { busListeners: 12 }. */
  gauges: Record<string, number>;
}

/** A GC the lab process went through, as seen by a perf_hooks observer in the probe. */
export interface GcEvent {
  t: number;
  kind: 'minor' | 'major' | 'incremental' | 'weakcb';
  durationMs: number;
}

/** What to run: a lab from the manifest and the file that plays its server. */
export interface LabTarget {
  /** Folder name from the manifest, e.g. '01-unbounded-cache'. */
  labId: string;
  /** Absolute path of the server file (the learner's, the solution, or any --entry file). */
  entry: string;
}

/** A functional check: does the feature the learner fixed still work? */
export interface FunctionalResult {
  name: string;
  passed: boolean;
  /** One sentence a learner understands: what was sent, what came back. */
  detail: string;
}

/** One round of load followed by a forced GC and a sample. */
export interface RoundRecord {
  /** Cumulative operations driven when the sample was taken. */
  ops: number;
  /** Whether this round counts for the verdict (false for warm-up rounds). */
  measured: boolean;
  sample: ProbeSample;
}

/** A mechanism signal (listener count, active timers, ...) before and after the measured rounds. */
export interface MechanismEvidence {
  /** What a learner reads, e.g. "'update' listeners on the bus". */
  label: string;
  before: number;
  after: number;
  /** (after - before) / measured operations. */
  perOp: number;
  /** True when this signal alone shows something retained per operation. */
  leaking: boolean;
}

export type VerdictStatus = 'pass' | 'leak' | 'broken' | 'error';

/** The checker's answer, the same object for the CLI (--json), the hub and the tests. */
export interface Verdict {
  labId: string;
  entry: string;
  /** pass: flat and working; leak: memory retained per operation; broken: feature lost; error: could not run. */
  status: VerdictStatus;
  /** The unit of load, e.g. 'request', 'SSE connection', 'socket.io connection', 'price refresh'. */
  operation: string;
  /** Robust (Theil–Sen) slope of post-GC memory against operations, over measured rounds. */
  bytesPerOp: number;
  /** Which memory series decided, e.g. 'heapUsed' or 'heapUsed + arrayBuffers'. */
  series: string;
  /** Post-GC growth across the measured rounds. */
  growthBytes: number;
  /** Noise floor of the run (the threshold growth must exceed). */
  noiseBytes: number;
  rounds: RoundRecord[];
  mechanism: MechanismEvidence[];
  functional: FunctionalResult[];
  /** Plain sentences: why this status. */
  reasons: string[];
  /** The next command or step for the learner, e.g. 'leaklab hint 01'. */
  next: string;
  durationMs: number;
}

/** Exit codes of `leaklab check`: 0 pass, 1 leak or broken feature, 2 could not run. */
export const EXIT_CODE: Record<VerdictStatus, 0 | 1 | 2> = { pass: 0, leak: 1, broken: 1, error: 2 };
