/**
 * `npx leaklab scoreboard FILES… [--html FILE] [--since TIME]`: merge the verdict files of a cohort
 * (each the output of `npx leaklab check --all --json`, e.g. CI artifacts) into one table: who passed
 * which lab, and how long it took. A folder stands for every .json file under it, so a folder of
 * downloaded artifacts can be named as it is. Exit 0 when a table was made, 2 when no file could be read.
 */
import { readdirSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderScoreboardHtml } from '../reporters/scoreboard-html.ts';
import { buildScoreboard, renderScoreboardText } from '../reporters/scoreboard.ts';
import { readVerdictFile, VerdictFileError, type VerdictFile } from '../reporters/verdict-file.ts';
import { EXIT_COULD_NOT_RUN, type Terminal } from '../terminal.ts';

export interface ScoreboardArgs {
  paths: string[];
  html?: string;
  since?: string;
}

export function scoreboardCommand(args: ScoreboardArgs, term: Terminal): number {
  if (args.paths.length === 0) {
    term.err('Name the verdict files or folders: `npx leaklab scoreboard verdicts/`. Each is the output of `npx leaklab check --all --json`.');
    return EXIT_COULD_NOT_RUN;
  }
  const since = args.since === undefined ? undefined : new Date(args.since);
  if (since && Number.isNaN(since.getTime())) {
    term.err(`--since must be a date and time, e.g. 2026-11-28T09:30:00Z; got "${args.since}".`);
    return EXIT_COULD_NOT_RUN;
  }

  const files: VerdictFile[] = [];
  for (const given of args.paths) {
    if (!exists(given)) {
      term.err(`${given} does not exist.`);
      return EXIT_COULD_NOT_RUN;
    }
    if (statSync(given).isDirectory()) {
      // Inside a folder other JSON files may sit beside the verdicts (an artifact's metadata): skip them, loudly.
      for (const file of jsonFilesUnder(given)) {
        try {
          files.push(readVerdictFile(file));
        } catch (error) {
          if (!(error instanceof VerdictFileError)) throw error;
          term.err(`Skipped ${error.message}`);
        }
      }
    } else {
      try {
        files.push(readVerdictFile(given));
      } catch (error) {
        if (!(error instanceof VerdictFileError)) throw error;
        term.err(error.message);
        return EXIT_COULD_NOT_RUN;
      }
    }
  }
  if (files.length === 0) {
    term.err(`No verdict file found in ${args.paths.join(', ')}.`);
    return EXIT_COULD_NOT_RUN;
  }

  const board = buildScoreboard(files, { since });
  term.out(renderScoreboardText(board));
  if (args.html) {
    mkdirSync(path.dirname(path.resolve(args.html)), { recursive: true });
    writeFileSync(args.html, renderScoreboardHtml(board));
    term.out(`\nWrote ${args.html}`);
  }
  return 0;
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Every .json file under a folder, in a stable order. */
function jsonFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json'))
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile())
    .sort();
}
