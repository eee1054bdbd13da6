/**
 * A verdict as a learner reads it in a terminal: the status, the evidence (bytes per operation,
 * growth against noise, counters before → after, each feature check), a small chart of post-GC
 * memory per round, and the next step. Pure: returns strings, prints nothing.
 */
import type { RoundRecord, Verdict, VerdictStatus } from './types.ts';
import { count, formatBytes } from './format.ts';
import { perOperation, seriesValue, STATUS_LABEL, type SeriesName } from './verdict/index.ts';

export interface RenderOptions {
  /** ANSI colours (the CLI enables them on a TTY unless NO_COLOR is set). */
  color?: boolean;
  /** How the entry file is shown (default: as stored in the verdict). */
  file?: string;
}

const MARK: Record<VerdictStatus, string> = { pass: '✓', leak: '✗', broken: '✗', inconclusive: '?', error: '!' };
const COLOUR: Record<VerdictStatus, number> = { pass: 32, leak: 31, broken: 33, inconclusive: 36, error: 35 };

function paint(text: string, code: number, on: boolean): string {
  return on ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** The one-line headline, e.g. "✗ LEAK  01-unbounded-cache  labs/…/server.ts  (3.6 s)". */
export function headline(verdict: Verdict, options: RenderOptions = {}): string {
  const status = paint(`${MARK[verdict.status]} ${headlineLabel(verdict)}`, COLOUR[verdict.status], options.color ?? false);
  return `${status}  ${verdict.labId}  ${options.file ?? verdict.entry}  (${(verdict.durationMs / 1000).toFixed(1)} s)`;
}

/** "LEAK", or "LEAK + BROKEN" when a leaking server also broke its feature: one never hides the other. */
function headlineLabel(verdict: Verdict): string {
  const broken = verdict.status === 'leak' && verdict.functional.some((check) => !check.passed);
  return `${STATUS_LABEL[verdict.status]}${broken ? ` + ${STATUS_LABEL.broken}` : ''}`;
}

/** The whole verdict, ready to print. */
export function renderVerdict(verdict: Verdict, options: RenderOptions = {}): string {
  const color = options.color ?? false;
  const lines: string[] = [headline(verdict, options), ''];

  if (verdict.status === 'error') {
    for (const reason of verdict.reasons) lines.push(...reason.split('\n').map((line) => `  ${line}`));
    lines.push('', `  Next: ${verdict.next}`);
    return lines.join('\n');
  }

  const op = verdict.operation;
  lines.push(
    `  Memory    ${perOperation(verdict.bytesPerOp, verdict.marginPerOp, op)} (post-GC ${verdict.series}, Theil–Sen slope)`,
    `            ${verdict.growthBytes >= 0 ? 'grew' : 'shrank'} ${formatBytes(Math.abs(verdict.growthBytes))} over ${verdict.windowOps === undefined ? 'the measured rounds' : count(verdict.windowOps, op)}; ` +
      `each reading wobbles by about ${formatBytes(verdict.noiseBytes)}`,
  );
  for (const m of verdict.mechanism) {
    const mark = m.leaking ? paint('✗', 31, color) : paint('✓', 32, color);
    lines.push(`  Counter   ${mark} ${m.label}: ${m.before} → ${m.after} (${m.perOp >= 0 ? '+' : ''}${m.perOp.toFixed(2)} per ${op})`);
  }
  verdict.functional.forEach((check, i) => {
    const mark = check.passed ? paint('✓', 32, color) : paint('✗', 31, color);
    lines.push(`  ${i === 0 ? 'Feature' : '       '}   ${mark} ${check.name}: ${check.detail}`);
  });

  lines.push('', `  Post-GC ${verdict.series} per round (w = warm-up, not judged)`, ...chartRounds(verdict.rounds, verdict.series as SeriesName));
  lines.push('', '  Why');
  for (const reason of verdict.reasons) lines.push(`    - ${reason}`);
  lines.push('', `  Next: ${verdict.next}`);
  return lines.join('\n');
}

/** One bar per round, scaled between the smallest and largest value of the run. */
export function chartRounds(rounds: RoundRecord[], series: SeriesName, width = 32): string[] {
  if (rounds.length === 0) return ['    (no rounds)'];
  const values = rounds.map((round) => seriesValue(series, round.sample));
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = Math.max(high - low, 1);
  let measuredIndex = 0;
  return rounds.map((round, i) => {
    const label = round.measured ? String(measuredIndex++) : 'w';
    const cells = Math.round(((values[i]! - low) / span) * width);
    const bar = '█'.repeat(cells) || '▏';
    return `    ${label.padStart(2)} ${round.ops.toLocaleString('en-US').padStart(7)} ops ${formatBytes(values[i]!).padStart(9)} ${bar}`;
  });
}

/** The scoreboard of `check --all`: one line per lab. */
export function renderSummary(verdicts: Verdict[], options: RenderOptions & { files?: string[] } = {}): string {
  const lines = verdicts.map((verdict, i) => {
    const status = paint(`${MARK[verdict.status]} ${headlineLabel(verdict).padEnd(12)}`, COLOUR[verdict.status], options.color ?? false);
    const evidence =
      verdict.status === 'error'
        ? (verdict.reasons[0]?.split('\n')[0] ?? '')
        : `${formatBytes(verdict.bytesPerOp)}/${verdict.operation}` +
          verdict.mechanism.map((m) => `, ${m.label} ${m.before}→${m.after}`).join('') +
          `, feature ${verdict.functional.filter((f) => f.passed).length}/${verdict.functional.length}`;
    return `  ${status} ${verdict.labId.padEnd(24)} ${(verdict.durationMs / 1000).toFixed(1).padStart(5)} s  ${options.files?.[i] ?? ''}  ${evidence}`;
  });
  const passed = verdicts.filter((v) => v.status === 'pass').length;
  lines.push('', `  ${passed} of ${verdicts.length} pass.`);
  return lines.join('\n');
}
