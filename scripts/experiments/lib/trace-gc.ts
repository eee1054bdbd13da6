/**
 * Read the lines `node --trace-gc` prints, e.g.
 *   [123:0x5a]  1085 ms: Mark-Compact 63.2 (83.7) -> 51.5 (84.9) MB, 49.62 / 0.00 ms  (average mu = 0.133, current mu = 0.109) task; ...
 * into numbers. Pure: text in, records out.
 */

export interface TraceGcLine {
  /** Milliseconds since the process started. */
  atMs: number;
  /** 'Scavenge', 'Mark-Compact', 'Mark-Compact (reduce)', ... */
  kind: string;
  heapBeforeMB: number;
  heapAfterMB: number;
  /** Time the main thread was paused for this GC. */
  pauseMs: number;
  /** Mutator utilisation: the share of recent time the program itself ran (1 = no GC at all). */
  currentMu: number | null;
}

const LINE = /\]\s+(\d+) ms: ([A-Za-z-]+(?: \([a-z ]+\))?) ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \/ [\d.]+ ms/;
/** Separate, because an incremental-marking note "(+ 42 ms in 43 steps ...)" may come before it. */
const CURRENT_MU = /current mu = ([\d.]+)/;

/** Every GC line in `text`, in order; other lines are ignored. */
export function parseTraceGc(text: string): TraceGcLine[] {
  const lines: TraceGcLine[] = [];
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const mu = CURRENT_MU.exec(line);
    lines.push({
      atMs: Number(match[1]),
      kind: match[2]!,
      heapBeforeMB: Number(match[3]),
      heapAfterMB: Number(match[4]),
      pauseMs: Number(match[5]),
      currentMu: mu ? Number(mu[1]) : null,
    });
  }
  return lines;
}
