/**
 * `--reporter NAME[=FILE]` for `leaklab check`: which reports a check writes, and where.
 *
 *   json     the verdict file (kit's Verdict objects with learner and time), as --json prints it
 *   junit    JUnit XML for CI test pages (reporters/junit.ts)
 *   github   GitHub Actions annotations on stdout and a job summary (reporters/github.ts)
 *
 * Reporters may be combined; each writes to its FILE when one is given. Without a FILE, json and
 * junit print to stdout, so at most one of them may go there; the terminal report a learner reads
 * is printed whenever stdout is free. The github reporter's annotations always go to stdout (that
 * is where the runner reads workflow commands); its summary goes to FILE, else to the file named
 * by $GITHUB_STEP_SUMMARY, else to stdout.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../kit/errors.ts';
import type { Terminal } from '../terminal.ts';
import { renderAnnotations, renderJobSummary } from './github.ts';
import { renderJunit } from './junit.ts';
import type { VerdictFile } from './verdict-file.ts';

/** One check (of one lab or of all) as the reporters see it. */
export interface CheckRun {
  file: VerdictFile;
  /** How each verdict's entry file is shown: project-relative, the path a CI annotation needs. */
  files: string[];
  /** True for `check --all`; a single lab's --json stays the bare Verdict object it always was. */
  all: boolean;
}

export const REPORTERS = ['json', 'junit', 'github'] as const;
export type ReporterName = (typeof REPORTERS)[number];

export interface ReporterSpec {
  name: ReporterName;
  /** A file to write; undefined for stdout. */
  destination?: string;
}

/** Parse the --reporter values (and --json, the same as `--reporter json`). */
export function parseReporters(values: string[], json: boolean): ReporterSpec[] {
  const specs: ReporterSpec[] = [];
  for (const value of json ? [...values, 'json'] : values) {
    const [name = '', ...rest] = value.split('=');
    const destination = rest.join('=') || undefined;
    if (!(REPORTERS as readonly string[]).includes(name)) {
      throw new LabError('USAGE', { detail: `Unknown reporter "${name}": use ${REPORTERS.join(', ')} (e.g. --reporter junit=output/verdicts/junit.xml).` });
    }
    specs.push({ name: name as ReporterName, destination });
  }
  const onStdout = specs.filter((spec) => spec.name !== 'github' && !spec.destination);
  if (onStdout.length > 1) {
    throw new LabError('USAGE', { detail: `Only one report can go to stdout; give the others a file: --reporter ${onStdout[1]!.name}=FILE.` });
  }
  return specs;
}

/** True when a reporter prints its report on stdout, so the terminal report must not. */
export function claimsStdout(specs: ReporterSpec[]): boolean {
  return specs.some((spec) => spec.name !== 'github' && !spec.destination);
}

/** Write every requested report. */
export function writeReports(run: CheckRun, specs: ReporterSpec[], term: Terminal, env: NodeJS.ProcessEnv = process.env): void {
  for (const spec of specs) {
    switch (spec.name) {
      case 'json':
        emit(JSON.stringify(run.all ? run.file : run.file.verdicts[0]), spec.destination, term);
        break;
      case 'junit':
        emit(renderJunit(run), spec.destination, term);
        break;
      case 'github': {
        for (const line of renderAnnotations(run)) term.out(line);
        const summary = renderJobSummary(run);
        // GitHub gives each step its own summary file and expects a step to append to it.
        if (spec.destination) emit(summary, spec.destination, term);
        else if (env.GITHUB_STEP_SUMMARY) append(env.GITHUB_STEP_SUMMARY, summary);
        else term.out(summary);
        break;
      }
    }
  }
}

function emit(text: string, destination: string | undefined, term: Terminal): void {
  if (!destination) return term.out(text.replace(/\n$/, ''));
  mkdirSync(path.dirname(path.resolve(destination)), { recursive: true });
  writeFileSync(destination, text.endsWith('\n') ? text : `${text}\n`);
}

function append(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  appendFileSync(file, text);
}
