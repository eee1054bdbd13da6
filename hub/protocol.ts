/**
 * The hub ↔ browser seam: every socket.io event, what it carries and what its acknowledgement
 * answers, as typed maps. The hub passes them to `new Server<ClientEvents, ServerEvents>()`, the
 * panel to `Socket<ServerEvents, ClientEvents>`, so a change on one side that the other does not
 * follow fails `npm run typecheck` (the browser side is checked by test/hub/browser-types.test.ts).
 *
 * Types only, and only from pure modules: the browser bundle imports this file with `import type`.
 * What the browser sends is still checked at run time (requests.ts): types do not validate.
 */
import type { SnapshotAnalysis } from '../kit/snapshots/types.ts';
import type { GcEvent, ProbeSample, RoundRecord, Verdict } from '../kit/types.ts';

/** A lab meant to be run until it dies of its heap cap (lab 07): its cap, and how far it gets on this Node line. */
export interface CrashRun {
  heapMb: number;
  /** Operations of the lab's own workload it took to die on this Node line (site/data/measured.json). */
  aboutOps: number;
  /** The Node line the hub runs on, e.g. 'Node 24'. */
  nodeLine: string;
}

/** Which server of a lab: the learner's file or the reference solution. */
export type Variant = 'learner' | 'solution';
export const VARIANTS: readonly Variant[] = ['learner', 'solution'];

export type SessionStatus = 'stopped' | 'starting' | 'running' | 'crashed';

/** One lab server as the page sees it. */
export interface SessionState {
  lab: string;
  variant: Variant;
  status: SessionStatus;
  /** The lab server's own URL (for a learner who wants to curl it), while running. */
  url?: string;
  pid?: number;
  /** Project-relative file being run. */
  file: string;
  /** Why it is not running: the kit's plain message (crash, out of memory, could not start). */
  reason?: string;
  /** Short category of the crash: 'out of memory', 'killed', 'crashed', 'blocked', ... */
  exitReason?: string;
  /** The learner's file changed since this server started: it runs the old code. */
  stale?: boolean;
}

/** The learner's last check of a lab, as kept in the progress store (`leaklab list` reads it too). */
export interface LastCheckView {
  /** 'pass', 'leak', 'broken', 'error', and any status the checker adds later. */
  status: string;
  /** ISO time of the check. */
  at: string;
  bytesPerOp: number;
  operation: string;
}

/** The lab's one job at a time: a load run, a check, or a snapshot (written, then compared). */
export type JobKind = 'load' | 'check' | 'snapshot';

export interface Job {
  kind: JobKind;
  /** What the job is doing now, in words ("reading the later snapshot, 40 of 65 MiB"). */
  stage?: string;
  /** 0–1 when the stage can tell. */
  fraction?: number;
}

/** Samples for the graph, one array per field (a page that joins late gets them in one small reply). */
export interface SampleColumns {
  t: number[];
  afterGc: boolean[];
  heapUsed: number[];
  heapTotal: number[];
  external: number[];
  arrayBuffers: number[];
  rss: number[];
}

export interface SessionHistory {
  variant: Variant;
  samples: SampleColumns;
  /** The newest sample whole (gauges, resources), for the gauges table. */
  latest?: ProbeSample;
  gc: GcEvent[];
}

/** A heap snapshot file the hub keeps, by its generated name. */
export interface SnapshotFile {
  name: string;
  bytes: number;
  mtimeMs: number;
  kind: 'taken' | 'near-limit';
}

/** A comparison as the panel shows it: the analysis and which two snapshots of which server. */
export interface ComparisonView extends SnapshotAnalysis {
  baseline: string;
  later: string;
  variant: Variant;
  /** True when `later` is the snapshot V8 wrote near the heap limit, just before the crash. */
  nearLimit?: boolean;
}

/** Everything a page needs to draw a lab's panel when it (re)joins. */
export interface LabState {
  lab: string;
  sessions: SessionState[];
  history: SessionHistory[];
  job: Job | null;
  snapshots: SnapshotFile[];
  baselines: Record<Variant, string | null>;
  analysis: ComparisonView | null;
  crashRun: CrashRun | null;
  nearLimit: Record<Variant, string | null>;
  /** The learner's file, relative to the project root (what they edit). */
  file: string;
  /** The learner's last check (kept across hub restarts) and, since the hub started, the last verdict in full. */
  lastCheck: LastCheckView | null;
  verdict: { variant: Variant; verdict: Verdict } | null;
  /** Hints revealed so far, and how many the lab has. */
  hints: string[];
  hintCount: number;
  /** The LEAKLAB_* settings the live servers run with, and the ones the checker uses. */
  /** The settings of the live servers and of the checker, and what each means, by variable. */
  tunables: { live: Record<string, string>; check: Record<string, string>; about: Record<string, string> };
}

/** What a reset did. */
export interface ResetView {
  file: string;
  backup?: string;
  unchanged: boolean;
}

/** A lab as GET /api/hub lists it. */
export interface HubLabInfo {
  id: string;
  number: string;
  title: string;
  operation: string;
  labPage: string;
  /** Set for a lab meant to be run until it dies (lab 07). */
  crashRun?: CrashRun;
}

/** One lab in GET /api/progress: where the learner stands (the labs index shows it). */
export interface LabProgress {
  id: string;
  number: string;
  title: string;
  labPage: string;
  file: string;
  lastCheck: LastCheckView | null;
  hintsShown: number;
  hints: number;
}

/** GET /api/hub. */
export interface HubInfo {
  hub: 'leaklab';
  loadSizes: number[];
  labs: HubLabInfo[];
}

/** One variant's outcome of a load run. */
export interface LoadOutcome {
  variant: Variant;
  done: number;
  error?: string;
}

/** One variant's outcome of "run until it dies". */
export interface CrashRunOutcome {
  variant: Variant;
  done: number;
  seconds: number;
  /** 'out of memory', 'crashed', 'stopped', 'still running', ... */
  outcome: string;
  reason?: string;
  nearLimitSnapshot?: string;
}

export interface LoadProgress {
  lab: string;
  variant: Variant;
  done: number;
  /** 0 for a run until the process dies: it has no total. */
  total: number;
  untilCrash?: boolean;
  elapsedMs?: number;
  /** For a run until the process dies: how many operations it took on this Node line when measured. */
  aboutOps?: number;
  /** True once V8 has started writing its snapshot near the heap limit. */
  snapshotWritten?: boolean;
}

/** An acknowledgement: the answer, or why the hub refused or failed. */
export type Answer<T extends object = object> = ({ ok: true } & T) | { ok: false; error: string };
type Ack<T extends object = object> = (answer: Answer<T>) => void;

export interface LabRequest {
  lab: string;
}
export interface VariantRequest extends LabRequest {
  variant?: Variant;
}
export interface LoadRequest extends LabRequest {
  count: number;
}
export interface SnapshotRequest extends VariantRequest {
  role: 'baseline' | 'later';
}

/** What the browser asks; each answers through its acknowledgement. */
export interface ClientEvents {
  'lab:join': (request: LabRequest, ack: Ack<{ state: LabState }>) => void;
  'lab:snapshots': (request: LabRequest, ack: Ack<{ snapshots: SnapshotFile[] }>) => void;
  'lab:start': (request: VariantRequest, ack: Ack<{ state: SessionState }>) => void;
  'lab:stop': (request: VariantRequest, ack: Ack<{ state: SessionState }>) => void;
  'lab:compare': (request: LabRequest, ack: Ack<{ states: SessionState[] }>) => void;
  'lab:gc': (request: LabRequest, ack: Ack<{ forced: number }>) => void;
  'lab:load': (request: LoadRequest, ack: Ack<{ results: LoadOutcome[]; operation: string }>) => void;
  'lab:run-to-crash': (request: LabRequest, ack: Ack<{ results: CrashRunOutcome[]; operation: string }>) => void;
  'lab:check': (request: VariantRequest, ack: Ack<{ verdict: Verdict }>) => void;
  'lab:snapshot': (request: SnapshotRequest, ack: Ack<{ name: string; analysis?: ComparisonView }>) => void;
  'lab:compare-near-limit': (request: VariantRequest, ack: Ack<{ analysis: ComparisonView }>) => void;
  /** Stop and start again, with the learner's file as it is now. */
  'lab:restart': (request: VariantRequest, ack: Ack<{ state: SessionState }>) => void;
  'lab:hint': (request: LabRequest, ack: Ack<{ hints: string[]; total: number }>) => void;
  'lab:reset': (request: LabRequest, ack: Ack<{ reset: ResetView }>) => void;
}

/** What the hub pushes to the pages in a lab's room. */
export interface ServerEvents {
  'lab:state': (state: SessionState) => void;
  'lab:sample': (payload: { lab: string; variant: Variant; sample: ProbeSample }) => void;
  'lab:gc': (payload: { lab: string; variant: Variant; events: GcEvent[] }) => void;
  'lab:job': (payload: { lab: string; job: Job | null }) => void;
  'lab:load-progress': (payload: LoadProgress) => void;
  'lab:check-start': (payload: { lab: string; variant: Variant }) => void;
  'lab:check-round': (payload: { lab: string; variant: Variant; round: RoundRecord }) => void;
  'lab:verdict': (payload: { lab: string; variant: Variant; verdict: Verdict }) => void;
  'lab:snapshot': (payload: { lab: string; variant: Variant; role: 'baseline' | 'later' | 'near-limit'; name: string }) => void;
  'lab:analysis': (payload: { lab: string; analysis: ComparisonView }) => void;
  /** The learner's last check changed (a check from any page, or a reset). */
  'lab:last-check': (payload: { lab: string; lastCheck: LastCheckView | null }) => void;
  'lab:hints': (payload: { lab: string; hints: string[]; total: number }) => void;
}

/** Load sizes the panel offers (operations per click). */
export const LOAD_SIZES = [100, 500, 1000, 2000] as const;

/** What an event's acknowledgement carries when it succeeds (without `ok`). */
export type ReplyOf<E extends keyof ClientEvents> = Parameters<ClientEvents[E]>[1] extends (answer: Answer<infer T>) => void ? T : never;
