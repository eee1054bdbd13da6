/**
 * The checker's words: every sentence a verdict says, for the terminal and the hub's browser code
 * alike. Pure and free of Node imports. The rules decide (rules.ts); this file only says it.
 */
import { count, formatBytes, plural } from '../format.ts';
import type { FunctionalResult, MechanismEvidence, VerdictStatus } from '../types.ts';
import type { TrendFinding } from './trend.ts';
import { FLAT_AT_MOST, LEAK_AT_LEAST } from './trend.ts';

/** The status as a short label: PASS, LEAK, BROKEN, INCONCLUSIVE, ERROR. */
export const STATUS_LABEL: Record<VerdictStatus, string> = { pass: 'PASS', leak: 'LEAK', broken: 'BROKEN', inconclusive: 'INCONCLUSIVE', error: 'ERROR' };

/** "1.2 KiB ± 40 B per request". */
export function perOperation(bytesPerOp: number, marginPerOp: number, operation: string): string {
  const margin = Number.isFinite(marginPerOp) ? ` ± ${formatBytes(marginPerOp)}` : '';
  return `${formatBytes(bytesPerOp)}${margin} per ${operation}`;
}

/** The memory rule's evidence, worded for its decision. */
export function memorySentence(trend: TrendFinding, series: string, operation: string): string {
  const steps = trend.steps.length > 0 ? `; ${trend.steps.length === 1 ? 'a one-off step' : `${trend.steps.length} one-off steps`} of V8's own (${trend.steps.map((step) => formatBytes(step)).join(', ')}) left out` : '';
  const measured =
    `Post-GC ${series} changed by ${perOperation(trend.bytesPerOp, trend.marginPerOp, operation)} ` +
    `(slope over ${count(trend.increments, 'round')}, ${count(trend.windowOps, operation)}: ${formatBytes(trend.growthBytes)} in all${steps}).`;
  switch (trend.decision) {
    case 'leak':
      return `${measured} That is more than any correct fix keeps (at most ${FLAT_AT_MOST} B per ${operation}): memory is kept after every ${operation}.`;
    case 'flat':
      return `${measured} Flat: confidently below the ${LEAK_AT_LEAST} B per ${operation} the checker is sized to catch, and no more than a correct fix can keep.`;
    case 'undecided':
      return `${measured} Too close to call with the time the check had: the readings wobbled by ${formatBytes(trend.noiseBytes)} around the line.`;
  }
}

/** Memory that grew like a leak (or wobbled too much to read) while the load ran, and came back after it stopped (and again after `againOps` more). */
export function heldSentence(trend: TrendFinding, series: string, operation: string, keptBytes: number, ops: number, waitedMs: number, againOps?: number): string {
  const again = againOps === undefined ? '' : `, and again after another ${count(againOps, operation)}`;
  const figures = perOperation(trend.bytesPerOp, trend.marginPerOp, operation);
  const during = trend.decision === 'leak' ? `grew by ${figures}` : `changed by ${figures}, too unsteady to call,`;
  return (
    `Post-GC ${series} ${during} while the load ran, ` +
    `and came back ${afterLoadWords(waitedMs, true)}${again}: ${formatBytes(Math.max(keptBytes, 0))} kept over ${count(ops, operation)}. ` +
    `Held for a while and then freed (a grace period, a short expiry), which is bounded, not a leak.`
  );
}

/** Memory that fell back after the load, but not after the same load again: a leak behind something that empties. */
export function refutedSentence(trend: TrendFinding, series: string, operation: string, keptBytes: number, againOps: number): string {
  return (
    `Post-GC ${series} grew by ${perOperation(trend.bytesPerOp, trend.marginPerOp, operation)} while the load ran and fell back once it stopped, ` +
    `but another ${count(againOps, operation)} kept ${formatBytes(keptBytes)} (${formatBytes(keptBytes / againOps)} per ${operation}) once they had stopped too. ` +
    `What fell back was something else emptying on a timer (a cache's expiry); memory is kept after every ${operation}.`
  );
}

/** When the judged series includes arrayBuffers: what the heap alone would have said. */
export function heapAloneSentence(heapOnly: TrendFinding, operation: string): string {
  const figures = perOperation(heapOnly.bytesPerOp, heapOnly.marginPerOp, operation);
  return heapOnly.decision === 'leak'
    ? `The heap alone grows too (${figures}): part of what is kept lives in the JS heap.`
    : `The heap alone looks flat (${figures}): watching only heapUsed would have missed this leak, which lives outside the JS heap (arrayBuffers).`;
}

/** `within 1.7 s of the load stopping`, or `once the load stopped` for less than a second. */
function afterLoadWords(waitedMs: number, within: boolean): string {
  if (waitedMs < 1000) return within ? 'once the load stopped' : 'after the load stopped';
  return `${within ? 'within ' : ''}${(waitedMs / 1000).toFixed(1)} s ${within ? 'of the load stopping' : 'after the load stopped'}`;
}

/** An exact counter, worded for whether it leaks (`waitedMs`: how long after the load it was read). */
export function counterSentence(m: MechanismEvidence, windowOps: number, operation: string, waitedMs = 0): string {
  if (!m.leaking) return `${m.label}: ${m.before} before, ${m.after} after ${count(windowOps, operation)}.`;
  const rate = m.perOp >= 0.95 && m.perOp <= 1.05 ? `one more per ${operation}` : `${m.perOp.toFixed(2)} per ${operation}`;
  return `${m.label} went from ${m.before} to ${m.after} over ${count(windowOps, operation)}: ${rate}, and they were still there ${afterLoadWords(waitedMs, false)}.`;
}

/** A feature check, worded. */
export function featureSentence(check: FunctionalResult): string {
  return check.passed ? `Works: ${check.name}: ${check.detail}` : `The feature is broken: ${check.name}: ${check.detail}`;
}

/** "All 3 feature checks passed." */
export function allFeaturesSentence(total: number): string {
  return `All ${total} feature ${plural('check', total)} passed.`;
}

/** What to do next, for each status. */
export function nextStep(status: VerdictStatus, hintCommand: string, nextOnPass?: string): string {
  switch (status) {
    case 'pass':
      return nextOnPass ?? 'Well done: memory stays flat and the feature works.';
    case 'inconclusive':
      return 'The readings stayed too noisy to decide in the time a check has: close other heavy programs and check again.';
    case 'error':
      return 'Fix what the message above names, then check again.';
    default:
      return `Stuck? Run \`${hintCommand}\` for a hint.`;
  }
}
