/**
 * `npx leaklab check <lab> [--solution] [--entry FILE] [--json] [--watch]` and `npx leaklab check --all`:
 * run the checker and print its verdict. Exit 0 pass, 1 leak or broken, 2 could not run.
 * `--reporter json|junit|github[=FILE]` adds reports for CI (cli/reporters/run.ts).
 */
import { watch } from 'node:fs';
import path from 'node:path';
import { checkLab } from '../../kit/check.ts';
import { displayPath } from '../../kit/lab-process.ts';
import type { LabInfo } from '../../kit/manifest.ts';
import { recordCheck } from '../../kit/progress.ts';
import { renderSummary, renderVerdict } from '../../kit/report.ts';
import { EXIT_CODE, type Verdict } from '../../kit/types.ts';
import { claimsStdout, parseReporters, writeReports, type ReporterSpec } from '../reporters/run.ts';
import { defaultLearner, verdictFile } from '../reporters/verdict-file.ts';
import { chooseLab, course } from '../resolve.ts';
import type { Terminal } from '../terminal.ts';

export interface CheckArgs {
  lab?: string;
  all: boolean;
  solution: boolean;
  entry?: string;
  json: boolean;
  watch: boolean;
  /** --reporter values, e.g. ['junit=output/verdicts/junit.xml', 'github']. */
  reporters?: string[];
  /** Who is checked, for the verdict file (default LEAKLAB_LEARNER, else the machine's user name). */
  learner?: string;
}

/** Check one lab file and print the verdict; remembers it when it is the learner's own server.ts. */
/** What to do after a pass of the learner's own file: the next lab, or the end of the course. */
function nextLabStep(lab: LabInfo): string {
  const labs = course().labs;
  const next = labs[labs.findIndex((other) => other.id === lab.id) + 1];
  return next
    ? `Well done: memory stays flat and the feature works. On to lab ${next.number} · ${next.title}: open ${displayPath(next.serverFile)} and run \`npx leaklab check ${next.number}\`.`
    : 'Well done: that was the last lab. `npx leaklab list` shows where you stand.';
}

async function checkOne(lab: LabInfo, entry: string, isLearnerFile: boolean, term: Terminal, quiet: boolean, signal?: AbortSignal): Promise<Verdict> {
  const file = displayPath(entry);
  if (!quiet) term.err(`Checking ${file} (lab ${lab.number} · ${lab.title}) …`);
  const verdict = await checkLab({
    target: { labId: lab.id, entry },
    signal,
    hintCommand: `npx leaklab hint ${lab.number}`,
    nextOnPass: isLearnerFile ? nextLabStep(lab) : undefined,
    onRound: quiet ? undefined : (round, index, total) => {
      if (term.interactive) process.stderr.write(`\r\u001b[K  round ${index + 1} of ${total}${round.measured ? '' : ' (warm-up)'}`);
    },
    onStage: quiet ? undefined : (stage) => {
      if (term.interactive) process.stderr.write(`\r\u001b[K  ${stage} …`);
    },
  });
  if (!quiet && term.interactive) process.stderr.write('\r\u001b[K');
  // A cancelled check (a newer save in --watch) says nothing about the file: do not remember it.
  if (isLearnerFile && !signal?.aborted) recordCheck(course().root, verdict);
  return verdict;
}

export async function checkCommand(args: CheckArgs, term: Terminal): Promise<number> {
  const reporters = parseReporters(args.reporters ?? [], args.json);
  if (args.all) return checkAll(args, reporters, term);
  const chosen = chooseLab(args.lab, { solution: args.solution, entry: args.entry });
  if (args.watch) {
    if (reporters.length > 0) return usage(term, '--watch prints to the terminal; it takes no --json or --reporter.');
    return watchLab(chosen.lab, chosen.entry, chosen.isLearnerFile, term);
  }
  const checkedAt = new Date();
  const verdict = await checkOne(chosen.lab, chosen.entry, chosen.isLearnerFile, term, claimsStdout(reporters));
  const file = displayPath(chosen.entry);
  report(args, reporters, term, { verdicts: [verdict], files: [file], checkedAt, all: false });
  if (!claimsStdout(reporters)) term.out(renderVerdict(verdict, { color: term.color, file }));
  return EXIT_CODE[verdict.status];
}

/** Every lab in course order: a scoreboard, exit code of the worst result. */
async function checkAll(args: CheckArgs, reporters: ReporterSpec[], term: Terminal): Promise<number> {
  if (args.entry) return usage(term, '--all checks every lab; it cannot take --entry.');
  const loaded = course();
  const quiet = claimsStdout(reporters);
  const checkedAt = new Date();
  const verdicts: Verdict[] = [];
  const files: string[] = [];
  for (const lab of loaded.labs) {
    const entry = args.solution ? lab.solutionFile : lab.serverFile;
    const verdict = await checkOne(lab, entry, !args.solution, term, quiet);
    verdicts.push(verdict);
    files.push(displayPath(entry));
    if (!quiet) term.err(`  ${verdict.status.toUpperCase()} in ${(verdict.durationMs / 1000).toFixed(1)} s`);
  }
  report(args, reporters, term, { verdicts, files, checkedAt, all: true });
  if (!quiet) term.out(renderSummary(verdicts, { color: term.color, files }));
  return Math.max(...verdicts.map((verdict) => EXIT_CODE[verdict.status]));
}

function report(args: CheckArgs, reporters: ReporterSpec[], term: Terminal, run: { verdicts: Verdict[]; files: string[]; checkedAt: Date; all: boolean }): void {
  const file = verdictFile(run.verdicts, { learner: args.learner ?? defaultLearner(), checkedAt: run.checkedAt });
  writeReports({ file, files: run.files, all: run.all }, reporters, term);
}

/** Re-check on every save until Ctrl-C; a save during a check cancels it and starts again. */
function watchLab(lab: LabInfo, entry: string, isLearnerFile: boolean, term: Terminal): Promise<number> {
  return new Promise((resolve) => {
    let running: AbortController | undefined;
    let lastCode = 0;
    let debounce: NodeJS.Timeout | undefined;
    const run = async () => {
      running?.abort();
      const controller = new AbortController();
      running = controller;
      const verdict = await checkOne(lab, entry, isLearnerFile, term, false, controller.signal);
      if (controller.signal.aborted) return; // superseded by a newer save
      lastCode = EXIT_CODE[verdict.status];
      term.out(renderVerdict(verdict, { color: term.color, file: displayPath(entry) }));
      term.out(`\nWatching ${displayPath(entry)}: save it to check again, Ctrl-C to stop.`);
    };
    // Watch the folder, not the file: editors often save by replacing the file, which ends a file watch.
    const watcher = watch(path.dirname(entry), (_event, name) => {
      if (name !== path.basename(entry)) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => void run(), 300);
    });
    // A listener of our own also tells the orphan guard not to exit for us: we end cleanly instead.
    process.on('SIGINT', () => {
      watcher.close();
      running?.abort();
      clearTimeout(debounce);
      resolve(lastCode);
    });
    void run();
  });
}

function usage(term: Terminal, message: string): number {
  term.err(`${message} Run \`npx leaklab help\` for the commands.`);
  return 2;
}
