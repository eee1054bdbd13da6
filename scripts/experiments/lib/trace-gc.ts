/**
 * Read the lines `node --trace-gc` prints into numbers. Pure: text in, records out. The format
 * changes between V8 versions, so the parser accepts all of these:
 *   Node 20:  [123:0x5a]  1085 ms: Mark-Compact 63.2 (83.7) -> 51.5 (84.9) MB, 49.62 / 0.00 ms  (average mu = 0.133, current mu = 0.109) task; ...
 *   Node 22+: ... -> 54.5 (88.3) MB, pooled: 0 MB, 62.80 / 0.00 ms  (average mu = ...
 *   Node 26:  ... Incremental Mark-Compact (reduce) 63.6 (65.8) -> 62.5 (64.6) MB, pooled: 0.0 MB, 58.26 / 0.00 ms (+ 1.2 ms in ...
 */

export interface TraceGcLine {
  /** Milliseconds since the process started. */
  atMs: number;
  /** 'Scavenge', 'Mark-Compact', 'Mark-Compact (reduce)', 'Incremental Mark-Compact (reduce)', 'Minor Mark-Sweep', ... */
  kind: string;
  /** A full collection of the whole heap (a mark-compact), not a young-generation one. */
  full: boolean;
  heapBeforeMB: number;
  heapAfterMB: number;
  /** Time the main thread was paused for this GC. */
  pauseMs: number;
  /** Mutator utilisation: the share of recent time the program itself ran (1 = no GC at all). */
  currentMu: number | null;
}

const LINE = /\]\s+(\d+) ms: ([A-Za-z -]+?(?: \([a-z ]+\))?) ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, (?:pooled: [\d.]+ MB, )?([\d.]+) \/ [\d.]+ ms/;
/** Separate, because an incremental-marking note "(+ 42 ms in 43 steps ...)" may come before it. */
const CURRENT_MU = /current mu = ([\d.]+)/;

/** Every GC line in `text`, in order; other lines are ignored. */
export function parseTraceGc(text: string): TraceGcLine[] {
  const lines: TraceGcLine[] = [];
  // One entry per "[pid:isolate]" prefix: V8's crash report sometimes prints two entries on one line.
  for (const line of text.split(/\n|(?=\[\d+:0x[0-9a-f]+\])/)) {
    const match = LINE.exec(line);
    if (!match) continue;
    const mu = CURRENT_MU.exec(line);
    const kind = match[2]!;
    lines.push({
      atMs: Number(match[1]),
      kind,
      full: kind.includes('Mark-Compact') && !kind.startsWith('Minor'),
      heapBeforeMB: Number(match[3]),
      heapAfterMB: Number(match[4]),
      pauseMs: Number(match[5]),
      currentMu: mu ? Number(mu[1]) : null,
    });
  }
  return lines;
}
