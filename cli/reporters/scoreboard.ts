/**
 * The facilitator's scoreboard: many verdict files (one per learner per `check --all`) merged into
 * one table. A row per learner, a column per lab; a cell says whether the learner's lab has passed,
 * how long after the start that first happened, and otherwise what the latest check said.
 *
 * "The start" is --since when the facilitator gives it (the session's start), else the learner's
 * own first check in the files: a learner who joins late is not penalised for it.
 */
import type { Verdict } from '../../kit/types.ts';
import { evidenceLine, outcomeOf, statusLabel } from './outcome.ts';
import type { VerdictFile } from './verdict-file.ts';

export interface ScoreCell {
  /** Checks of this lab by this learner. */
  checks: number;
  /** When the lab first passed (ISO), if it has. */
  firstPassAt?: string;
  /** From the start to the first pass. */
  timeToPassMs?: number;
  /** The most recent verdict of this lab. */
  latest: Verdict;
  latestAt: string;
}

export interface ScoreRow {
  learner: string;
  /** ISO time the learner's clock starts (see the file comment). */
  start: string;
  /** Lab id → cell; a lab never checked has none. */
  cells: Map<string, ScoreCell>;
  /** Labs that passed at least once. */
  passed: number;
  /** Verdict files merged into this row. */
  runs: number;
}

export interface Scoreboard {
  /** Every lab seen in the files, in course order (ids start with their number). */
  labs: string[];
  /** Learners in alphabetical order: a scoreboard for a session, not a ranking. */
  rows: ScoreRow[];
  since?: string;
  /** Verdict files merged (duplicates, e.g. an artifact downloaded twice, counted once). */
  files: number;
}

export function buildScoreboard(files: VerdictFile[], options: { since?: Date } = {}): Scoreboard {
  const unique = new Map<string, VerdictFile>();
  for (const file of files) unique.set(`${file.learner}\u0000${file.checkedAt}`, file);
  const runs = [...unique.values()].sort((a, b) => Date.parse(a.checkedAt) - Date.parse(b.checkedAt));

  const labs = new Set<string>();
  const byLearner = new Map<string, VerdictFile[]>();
  for (const run of runs) {
    for (const verdict of run.verdicts) labs.add(verdict.labId);
    byLearner.set(run.learner, [...(byLearner.get(run.learner) ?? []), run]);
  }

  const rows: ScoreRow[] = [];
  for (const [learner, learnerRuns] of byLearner) {
    const start = options.since?.toISOString() ?? learnerRuns[0]!.checkedAt;
    const cells = new Map<string, ScoreCell>();
    for (const run of learnerRuns) {
      for (const verdict of run.verdicts) {
        const cell = cells.get(verdict.labId) ?? { checks: 0, latest: verdict, latestAt: run.checkedAt };
        cell.checks += 1;
        cell.latest = verdict;
        cell.latestAt = run.checkedAt;
        if (!cell.firstPassAt && outcomeOf(verdict.status) === 'passed') {
          cell.firstPassAt = run.checkedAt;
          cell.timeToPassMs = Math.max(0, Date.parse(run.checkedAt) - Date.parse(start));
        }
        cells.set(verdict.labId, cell);
      }
    }
    const passed = [...cells.values()].filter((cell) => cell.firstPassAt).length;
    rows.push({ learner, start, cells, passed, runs: learnerRuns.length });
  }
  rows.sort((a, b) => a.learner.localeCompare(b.learner));
  return { labs: [...labs].sort(), rows, since: options.since?.toISOString(), files: runs.length };
}

/** "0m", "12m", "1h05m": short enough for a table cell. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** What a cell shows: the time to the first pass, else the latest status; '*' when a passed lab fails now. */
export function cellText(cell: ScoreCell | undefined): string {
  if (!cell) return '·';
  if (cell.firstPassAt) return `✓ ${formatDuration(cell.timeToPassMs!)}${outcomeOf(cell.latest.status) === 'passed' ? '' : '*'}`;
  return statusLabel(cell.latest.status);
}

/** A cell's longer story: the latest evidence and how many checks it took. */
export function cellDetail(cell: ScoreCell): string {
  const first = cell.firstPassAt ? `first passed ${cell.firstPassAt.slice(0, 16).replace('T', ' ')} UTC; ` : '';
  return `${first}latest: ${cell.latest.status} (${evidenceLine(cell.latest)}); ${cell.checks} check${cell.checks === 1 ? '' : 's'}`;
}

/** Short lab headers: the lab number ('01-unbounded-cache' → '01'). */
export function labHeader(labId: string): string {
  return /^(\d+)-/.exec(labId)?.[1] ?? labId;
}

export function startDescription(board: Scoreboard): string {
  return board.since ? `since ${board.since.slice(0, 16).replace('T', ' ')} UTC` : "since each learner's first check";
}

/** The terminal table. */
export function renderScoreboardText(board: Scoreboard): string {
  const header = ['learner', ...board.labs.map(labHeader), 'passed'];
  const body = board.rows.map((row) => [row.learner, ...board.labs.map((lab) => cellText(row.cells.get(lab))), `${row.passed}/${board.labs.length}`]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((cells) => [...cells[i]!].length)));
  const line = (cells: string[]) => cells.map((text, i) => text + ' '.repeat(widths[i]! - [...text].length)).join('  ').trimEnd();
  const lines = [
    `Leak Lab scoreboard: ${board.rows.length} learner${board.rows.length === 1 ? '' : 's'}, ${board.files} check${board.files === 1 ? '' : 's'} of every lab`,
    `✓ time to first pass (${startDescription(board)}) · ✗ latest check failed · ? undecided · ! could not run · · not checked · * passed once, fails now`,
    '',
    line(header),
    ...body.map(line),
  ];
  return lines.join('\n');
}
