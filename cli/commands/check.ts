/**
 * `leaklab check <lab> [--solution] [--entry FILE] [--json] [--watch]` and `leaklab check --all`:
 * run the checker and print its verdict. Exit 0 pass, 1 leak or broken, 2 could not run.
 */
import { watch } from 'node:fs';
import path from 'node:path';
import { checkLab } from '../../kit/check.ts';
import { displayPath } from '../../kit/lab-process.ts';
import type { LabInfo } from '../../kit/manifest.ts';
import { recordCheck } from '../../kit/progress.ts';
import { renderSummary, renderVerdict } from '../../kit/report.ts';
import { EXIT_CODE, type Verdict } from '../../kit/types.ts';
import { chooseLab, course } from '../resolve.ts';
import type { Terminal } from '../terminal.ts';

export interface CheckArgs {
  lab?: string;
  all: boolean;
  solution: boolean;
  entry?: string;
  json: boolean;
  watch: boolean;
}

/** Check one lab file and print the verdict; remembers it when it is the learner's own server.ts. */
async function checkOne(lab: LabInfo, entry: string, isLearnerFile: boolean, term: Terminal, json: boolean, signal?: AbortSignal): Promise<Verdict> {
  const file = displayPath(entry);
  if (!json) term.err(`Checking ${file} (lab ${lab.number} · ${lab.title}) …`);
  const verdict = await checkLab({
    target: { labId: lab.id, entry },
    signal,
    hintCommand: `leaklab hint ${lab.number}`,
    onRound: json ? undefined : (round, index, total) => {
      if (term.interactive) process.stderr.write(`\r  round ${index + 1} of ${total}${round.measured ? '' : ' (warm-up)'}   `);
    },
  });
  if (!json && term.interactive) process.stderr.write('\r\u001b[K');
  // A cancelled check (a newer save in --watch) says nothing about the file: do not remember it.
  if (isLearnerFile && !signal?.aborted) recordCheck(course().root, verdict);
  return verdict;
}

export async function checkCommand(args: CheckArgs, term: Terminal): Promise<number> {
  if (args.all) return checkAll(args, term);
  const chosen = chooseLab(args.lab, { solution: args.solution, entry: args.entry });
  if (args.watch) return watchLab(chosen.lab, chosen.entry, chosen.isLearnerFile, term);
  const verdict = await checkOne(chosen.lab, chosen.entry, chosen.isLearnerFile, term, args.json);
  term.out(args.json ? JSON.stringify(verdict) : renderVerdict(verdict, { color: term.color, file: displayPath(chosen.entry) }));
  return EXIT_CODE[verdict.status];
}

/** Every lab in course order: a scoreboard, exit code of the worst result. */
async function checkAll(args: CheckArgs, term: Terminal): Promise<number> {
  if (args.entry) return usage(term, '--all checks every lab; it cannot take --entry.');
  const loaded = course();
  const verdicts: Verdict[] = [];
  const files: string[] = [];
  for (const lab of loaded.labs) {
    const entry = args.solution ? lab.solutionFile : lab.serverFile;
    const verdict = await checkOne(lab, entry, !args.solution, term, args.json);
    verdicts.push(verdict);
    files.push(displayPath(entry));
    if (!args.json) term.err(`  ${verdict.status.toUpperCase()} in ${(verdict.durationMs / 1000).toFixed(1)} s`);
  }
  term.out(args.json ? JSON.stringify({ verdicts }) : renderSummary(verdicts, { color: term.color, files }));
  return Math.max(...verdicts.map((verdict) => EXIT_CODE[verdict.status]));
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
  term.err(`${message} Run \`leaklab help\` for the commands.`);
  return 2;
}
