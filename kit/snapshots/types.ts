/**
 * What a snapshot comparison answers, as the hub sends it to the browser. Pure declarations, free of
 * Node imports: the panel's browser code imports these types too.
 */

/** One row of the comparison table. Sizes are shallow (self) sizes in bytes, as in DevTools. */
export interface ConstructorDelta {
  /** Constructor or category name, e.g. 'LeakedRecord', '(closure)', '(string)'. */
  name: string;
  countBefore: number;
  countAfter: number;
  /** Objects allocated after the baseline that are still alive. */
  added: number;
  /** Objects alive in the baseline that are gone. */
  deleted: number;
  /** added - deleted (= countAfter - countBefore). */
  countDelta: number;
  sizeBefore: number;
  sizeAfter: number;
  sizeDelta: number;
}

/** One link of a retainer path: the reference taken, and the object it leads to. */
export interface PathStep {
  /** V8's edge type: 'context' (a variable in a scope), 'property', 'element', 'internal', ... */
  edgeType: string;
  /** The variable or property name, or the index for elements. */
  edgeName: string | number;
  /** The object reached. */
  nodeType: string;
  className: string;
  /** For closures the function name, for objects the constructor name. */
  nodeName: string;
  nodeId: number;
  selfSize: number;
  /**
   * Set on the one step that stands for a folded chain: the `links` steps before it repeat
   * `times` more times (each price table keeping the previous one alive). Such a step has no object.
   */
  repeat?: { links: number; times: number };
}

/** A step with its plain words, and the line of the learner's source that names it, if found. */
export interface RetainerStep extends PathStep {
  /** The step in plain words, e.g. "variable `cache` → an Object". */
  words: string;
  /** Where the variable or property is declared in the lab's source, when we could find it. */
  source?: SourceLine;
}

export interface SourceLine {
  /** The file as the caller named it (e.g. 'workspace/01-unbounded-cache/server.ts'). */
  file: string;
  /** 1-based line number. */
  line: number;
  /** The line's text, trimmed. */
  text: string;
}

/** What the hub shows after a baseline and a later snapshot. */
export interface SnapshotAnalysis {
  /** The comparison table, biggest growth first (limited to `rows` entries). */
  rows: ConstructorDelta[];
  /** Total shallow size of each snapshot, bytes. */
  totalBefore: number;
  totalAfter: number;
  /** The program's constructor whose growth is explained, if any grew. */
  top?: ConstructorDelta;
  /** Why one new instance of `top` is alive: root first. */
  path?: RetainerStep[];
  /** Share (0–1) of the sampled new instances kept alive by a path of this same shape. */
  pathShare?: number;
  /** The path on one line. */
  pathLine?: string;
}

/** The stages of a comparison, in order, so a page can say what is happening during a long one. */
export type AnalysisStage = 'reading the baseline' | 'reading the later snapshot' | 'comparing by constructor' | 'finding retainer paths';

/** Progress of a comparison: the stage, and how far into it (0–1) when it can tell. */
export interface AnalysisProgress {
  stage: AnalysisStage;
  fraction?: number;
}
