/**
 * What a verdict means to a CI system, shared by every reporter: passed, failed or could not run,
 * and the evidence in one line. A CI system knows only these three outcomes; the checker has more
 * statuses (kit/types.ts VerdictStatus) and may gain new ones: any status this file does not name
 * is a failure, reported with the checker's own reasons, so a new status can never pass silently.
 */
import { formatBytes } from '../../kit/format.ts';
import type { Verdict, VerdictStatus } from '../../kit/types.ts';

export type Outcome = 'passed' | 'failed' | 'error';

/** pass → passed; error (the server could not run) → error; leak, broken, inconclusive and anything else → failed. */
export function outcomeOf(status: VerdictStatus | string): Outcome {
  switch (status) {
    case 'pass':
      return 'passed';
    case 'error':
      return 'error';
    default:
      return 'failed';
  }
}

/** The status as a learner reads it in a table, with a mark that survives without colour. */
export function statusLabel(status: VerdictStatus | string): string {
  const outcome = outcomeOf(status);
  // The terminal's marks (kit/report.ts): '?' for a check that could not decide.
  const mark = outcome === 'passed' ? '✓' : outcome === 'error' ? '!' : status === 'inconclusive' ? '?' : '✗';
  return `${mark} ${status}`;
}

/**
 * The evidence in one line: memory per operation and each counter for a run that was measured,
 * the first line of the message for one that could not run.
 */
export function evidenceLine(verdict: Verdict): string {
  if (outcomeOf(verdict.status) === 'error' || verdict.rounds.length === 0) return verdict.reasons[0]?.split('\n')[0] ?? '';
  const parts = [`${formatBytes(verdict.bytesPerOp)} per ${verdict.operation}`];
  for (const m of verdict.mechanism) parts.push(`${m.label} ${m.before} → ${m.after}`);
  const passed = verdict.functional.filter((f) => f.passed).length;
  parts.push(`feature checks ${passed}/${verdict.functional.length}`);
  return parts.join('; ');
}

/** The checker's reasons as one paragraph: the message a CI system shows beside a failure. */
export function reasonsText(verdict: Verdict): string {
  return verdict.reasons.join(' ');
}

export function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
