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
  /**
   * Used bytes of each of V8's heap spaces by name (v8.getHeapSpaceStatistics()), e.g. old_space,
   * large_object_space, code_space; which spaces exist depends on the V8 version.
   */
  spaces: Record<string, number>;
  /** v8.getHeapStatistics().heap_size_limit: where the process dies. */
  heapSizeLimit: number;
  /** Counts by type from process.getActiveResourcesInfo(), e.g. { Timeout: 3, TCPSocketWrap: 2 }. */
  activeResources: Record<string, number>;
  /** Values of the gauges the lab's fixtures registered (kit/lab-api.ts), e.g. { busListeners: 12 }. */
  gauges: Record<string, number>;
  /** What each gauge means to a learner, by name, e.g. { busListeners: "'update' listeners on the bus" }. */
  gaugeLabels: Record<string, string>;
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

/**
 * pass: flat and working; leak: memory or a counter retained per operation; broken: a feature
 * lost; inconclusive: the memory trend stayed ambiguous for the whole time budget (a very noisy
 * machine), so the checker says so instead of guessing; error: the server could not be run.
 */
export type VerdictStatus = 'pass' | 'leak' | 'broken' | 'inconclusive' | 'error';

/** What one decision rule concluded (memlab's leak filters: each rule answers for itself). */
export interface Finding {
  /** Which rule: the memory trend, an exact counter, a feature check. */
  rule: 'memory' | 'counter' | 'feature';
  /** leak / not a leak / still undecided, for memory and counters; broken / works for features. */
  outcome: 'leak' | 'not-leak' | 'undecided' | 'broken' | 'works';
  /** The rule's evidence as one sentence a learner reads. */
  sentence: string;
}

/** The checker's answer, the same object for the CLI (--json), the hub and the tests. */
export interface Verdict {
  labId: string;
  entry: string;
  /** See VerdictStatus. */
  status: VerdictStatus;
  /** The unit of load, e.g. 'request', 'SSE connection', 'socket.io connection', 'price refresh'. */
  operation: string;
  /** Bytes kept per operation: the median of the per-round post-GC increments over the judged window. */
  bytesPerOp: number;
  /** The uncertainty of bytesPerOp (± this many bytes per operation, at the checker's confidence). */
  marginPerOp: number;
  /** Which memory series decided, e.g. 'heap objects' or 'heap objects + arrayBuffers'. */
  series: string;
  /** Operations across the judged window. */
  windowOps: number;
  /** bytesPerOp × windowOps: what the server kept over the judged window. */
  growthBytes: number;
  /** How much one round's post-GC reading wobbles (robust spread of the increments), bytes. */
  noiseBytes: number;
  rounds: RoundRecord[];
  mechanism: MechanismEvidence[];
  functional: FunctionalResult[];
  /** Each rule's conclusion, most telling first. */
  findings: Finding[];
  /** Plain sentences: why this status (the findings' sentences, in the same order). */
  reasons: string[];
  /** The next command or step for the learner, e.g. 'leaklab hint 01'. */
  next: string;
  durationMs: number;
}

/** Exit codes of `leaklab check`: 0 pass, 1 leak or broken feature, 2 could not run, 3 inconclusive. */
export const EXIT_CODE: Record<VerdictStatus, 0 | 1 | 2 | 3> = { pass: 0, leak: 1, broken: 1, error: 2, inconclusive: 3 };
