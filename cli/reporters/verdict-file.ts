/**
 * The verdict file: what `npx leaklab check --all --json` prints and what `npx leaklab scoreboard` reads.
 * One check of every lab by one learner at one time:
 *
 *   { "format": "leaklab-verdicts/1", "learner": "ada", "checkedAt": "2026-11-28T10:04:12.345Z",
 *     "node": "v24.22.3", "verdicts": [ <Verdict>, ... ] }
 *
 * Each verdict is the checker's own object (kit/types.ts), unchanged. A facilitator collects one
 * file per learner per run (a CI artifact, a file pasted into a shared folder) and the scoreboard
 * merges them: who passed which lab, and how long after their first check.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Verdict } from '../../kit/types.ts';

export const VERDICT_FILE_FORMAT = 'leaklab-verdicts/1';

export interface VerdictFile {
  format: typeof VERDICT_FILE_FORMAT;
  /** Who ran the check: --learner, else LEAKLAB_LEARNER, else the user name of the machine. */
  learner: string;
  /** ISO time the check started. */
  checkedAt: string;
  /** process.version of the Node that ran the checker. */
  node: string;
  verdicts: Verdict[];
}

/** The learner's name for a verdict file when --learner is not given. */
export function defaultLearner(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LEAKLAB_LEARNER) return env.LEAKLAB_LEARNER;
  try {
    return os.userInfo().username;
  } catch {
    return 'learner'; // no passwd entry (some containers)
  }
}

export function verdictFile(verdicts: Verdict[], who: { learner: string; checkedAt: Date }): VerdictFile {
  return { format: VERDICT_FILE_FORMAT, learner: who.learner, checkedAt: who.checkedAt.toISOString(), node: process.version, verdicts };
}

/** A verdict file that cannot be read, with the file's name and what is wrong in the message. */
export class VerdictFileError extends Error {}

/**
 * Read and check one verdict file. Only what the scoreboard relies on is checked (the format, a
 * learner, a time, each verdict's lab and status); a newer checker may add fields freely, and a
 * status this version does not know is kept as it is.
 */
export function readVerdictFile(file: string): VerdictFile {
  const fail = (why: string): never => {
    throw new VerdictFileError(`${file}: ${why}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`not a JSON file (${(error as Error).message}).`);
  }
  if (typeof data !== 'object' || data === null) return fail('expected an object with "verdicts".');
  const record = data as Partial<VerdictFile>;
  if (record.format !== VERDICT_FILE_FORMAT) {
    return fail(`expected "format": "${VERDICT_FILE_FORMAT}" (the output of \`npx leaklab check --all --json\`), found ${JSON.stringify(record.format)}.`);
  }
  if (typeof record.learner !== 'string' || record.learner.trim() === '') return fail('"learner" must name the learner.');
  if (typeof record.checkedAt !== 'string' || Number.isNaN(Date.parse(record.checkedAt))) return fail('"checkedAt" must be an ISO date.');
  if (!Array.isArray(record.verdicts)) return fail('"verdicts" must be a list.');
  record.verdicts.forEach((verdict, i) => {
    if (typeof verdict?.labId !== 'string' || typeof verdict?.status !== 'string') fail(`verdict ${i + 1} has no "labId" and "status".`);
  });
  return { format: VERDICT_FILE_FORMAT, learner: record.learner, checkedAt: record.checkedAt, node: String(record.node ?? 'unknown'), verdicts: record.verdicts };
}
