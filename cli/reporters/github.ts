/**
 * `leaklab check --reporter github`: what a GitHub Actions job shows of a check.
 *
 * - Annotations: one `::error` workflow command per lab that did not pass, on the learner's file,
 *   so the pull request's "Files changed" tab marks the file. The line is the one the verdict points
 *   to when it carries a location; today's verdicts carry none, so the annotation sits on line 1
 *   and its text says that the line is not the place of the leak.
 * - A job summary: a Markdown table, one row per lab, with the reasons of each lab that did not
 *   pass folded below it. GitHub renders it on the run's page from the file named by
 *   $GITHUB_STEP_SUMMARY.
 *
 * Workflow commands are documented by GitHub: data escapes %, CR and LF; property values also
 * escape ':' and ','. A summary is GitHub-flavoured Markdown of at most 1 MiB per step.
 */
import type { Verdict } from '../../kit/types.ts';
import { escapeMarkup } from './markup.ts';
import { evidenceLine, outcomeOf, seconds, statusLabel } from './outcome.ts';
import type { CheckRun } from './run.ts';

/** GitHub refuses a step summary above this size (it then shows an error instead of the summary). */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Where a verdict points in the learner's file, when the checker says. */
interface Location {
  file?: string;
  line?: number;
}

/**
 * The verdict's own location, if this checker's verdicts have one. Read structurally so that the
 * reporter works before and after `Verdict` gains a `location` field.
 */
function locationOf(verdict: Verdict): Location | undefined {
  const location = (verdict as Verdict & { location?: unknown }).location;
  if (typeof location !== 'object' || location === null) return undefined;
  const { file, line } = location as Location;
  return { file: typeof file === 'string' ? file : undefined, line: Number.isInteger(line) && line! > 0 ? line : undefined };
}

/** One `::error` line per lab that did not pass. */
export function renderAnnotations(run: CheckRun): string[] {
  const lines: string[] = [];
  run.file.verdicts.forEach((verdict, i) => {
    if (outcomeOf(verdict.status) === 'passed') return;
    const location = locationOf(verdict);
    const file = location?.file ?? run.files[i] ?? verdict.entry;
    const line = location?.line;
    const where = line ? '' : ' (Line 1: the checker judges the whole file and names no line; read the reasons.)';
    const title = `Leak Lab ${verdict.labId}: ${verdict.status}`;
    const message = `${verdict.reasons.join('\n')}\nNext: ${verdict.next}${where}`;
    lines.push(`::error file=${escapeProperty(file)},line=${line ?? 1},title=${escapeProperty(title)}::${escapeData(message)}`);
  });
  return lines;
}

/** The job summary: a headline, a table of every lab, and the reasons of each one that did not pass. */
export function renderJobSummary(run: CheckRun): string {
  const { verdicts } = run.file;
  const passed = verdicts.filter((verdict) => outcomeOf(verdict.status) === 'passed').length;
  const lines = [
    `## Leak Lab: ${passed} of ${verdicts.length} labs pass`,
    '',
    `${cell(run.file.learner)} · Node ${run.file.node} · checked ${run.file.checkedAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    '| Lab | Result | Evidence | File | Time |',
    '| --- | --- | --- | --- | ---: |',
  ];
  verdicts.forEach((verdict, i) => {
    const file = run.files[i] ?? verdict.entry;
    lines.push(`| ${cell(verdict.labId)} | ${cell(statusLabel(verdict.status))} | ${cell(evidenceLine(verdict))} | \`${cell(file)}\` | ${seconds(verdict.durationMs)} s |`);
  });
  for (const verdict of verdicts) {
    if (outcomeOf(verdict.status) === 'passed') continue;
    lines.push('', `<details><summary>${escapeMarkup(verdict.labId)}: ${escapeMarkup(verdict.status)}</summary>`, '');
    for (const reason of verdict.reasons) lines.push(`- ${oneLine(reason)}`);
    lines.push('', `Next: ${oneLine(verdict.next)}`, '', '</details>');
  }
  return `${lines.join('\n')}\n`;
}

/** Text for a table cell: one line, pipes escaped (an unescaped pipe starts a new column). */
function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Escape the message of a workflow command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value of a workflow command (file=, title=). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
