/**
 * One catalogue of everything that can stop a lab from being checked. Each code has a message
 * that names the file and says what to do next, so the CLI, the hub and the tests show the same
 * words. A learner mistake is never an exception escaping the checker: it becomes a LabError,
 * and `checkLab` turns that into a verdict with status 'error' (exit code 2).
 */

export type LabErrorCode =
  | 'ENTRY_NOT_FOUND'
  | 'COMPILE_FAILED'
  | 'THREW_AT_START'
  | 'EXITED_BEFORE_LISTENING'
  | 'NEVER_LISTENED'
  | 'EVENT_LOOP_BLOCKED'
  | 'CRASHED'
  | 'OUT_OF_MEMORY'
  | 'NOT_ANSWERING'
  | 'PROBE_TIMEOUT'
  | 'PROBE_FAILED'
  | 'CANCELLED'
  | 'UNKNOWN_LAB'
  | 'USAGE';

/** What a learner needs to know about the file: where it is and a short excerpt of what went wrong. */
export interface LabErrorContext {
  /** The file that was run (absolute or project-relative; shown as given). */
  file?: string;
  /** Seconds waited, for timeouts. */
  seconds?: number;
  /** The most telling lines of the child's stderr (an error message, a stack frame). */
  excerpt?: string;
  /** The lab as the learner names it ('01'), for the commands a message suggests. */
  lab?: string;
  /** Anything else a message slots in: a lab name, an exit code, a URL. */
  detail?: string;
}

type Describe = (c: LabErrorContext) => string;

const file = (c: LabErrorContext): string => c.file ?? 'the server file';
const lab = (c: LabErrorContext): string => c.lab ?? '<lab>';
const excerptOf = (c: LabErrorContext): string => (c.excerpt ? `\n${indent(c.excerpt)}` : '');

/** The catalogue: code → a message that names the file and the next step. */
const CATALOGUE: Record<LabErrorCode, Describe> = {
  ENTRY_NOT_FOUND: (c) => `${file(c)} does not exist. Check the path, or run \`npx leaklab reset ${lab(c)}\` to restore the lab's server.`,
  COMPILE_FAILED: (c) =>
    `${file(c)} does not compile: TypeScript/JavaScript syntax error.${excerptOf(c)}\nFix the line named above and check again.`,
  THREW_AT_START: (c) =>
    `${file(c)} threw an error while starting, before it listened on a port.${excerptOf(c)}\nRun it by hand with \`npx leaklab run ${lab(c)}\` to see the full stack.`,
  EXITED_BEFORE_LISTENING: (c) =>
    `${file(c)} finished${c.detail ? ` (${c.detail})` : ''} without ever listening on a port. A lab server must call listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1') and keep running.`,
  NEVER_LISTENED: (c) =>
    `${file(c)} was still running after ${c.seconds ?? '?'} s but never listened on a port. Make sure it calls listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1').`,
  EVENT_LOOP_BLOCKED: (c) =>
    `${file(c)} blocked its event loop: it stopped answering for more than ${c.seconds ?? '?'} s${c.detail ? ` ${c.detail}` : ''}. Look for a synchronous loop (while/for without an exit, a busy wait) and make it finish or await.`,
  CRASHED: (c) =>
    `${file(c)} crashed while under load${c.detail ? ` (${c.detail})` : ''}.${excerptOf(c)}\nRun it with \`npx leaklab run ${lab(c)}\`, send it the same requests, and read the stack.`,
  OUT_OF_MEMORY: (c) =>
    `${file(c)} ran out of memory: V8 reached the heap limit${c.detail ? ` (${c.detail})` : ''} and aborted. That is what a leak does in production; find what keeps growing (\`npx leaklab hint ${lab(c)}\`).`,
  NOT_ANSWERING: (c) =>
    `${file(c)} is running but did not answer the checker's requests${c.detail ? `: ${c.detail}` : ''}. Make sure every route still sends a response.`,
  PROBE_TIMEOUT: (c) =>
    `The memory probe inside ${file(c)} did not answer within ${c.seconds ?? '?'} s${c.detail ? ` (${c.detail})` : ''}. The process may be overloaded; try the check again.`,
  PROBE_FAILED: (c) =>
    `The memory probe inside ${file(c)} could not ${c.detail ?? 'answer the checker'}. The server itself is still running: if the error names your code, fix that; otherwise check again.`,
  CANCELLED: (c) => `The check of ${file(c)} was cancelled${c.detail ? ` (${c.detail})` : ''}.`,
  UNKNOWN_LAB: (c) =>
    `There is no lab called "${c.detail ?? ''}". Use a number (01), a name (unbounded-cache) or a folder name (01-unbounded-cache); \`npx leaklab list\` shows them all.`,
  USAGE: (c) => `${c.detail ?? 'Unknown command.'} Run \`npx leaklab help\` for the commands.`,
};

/** Every code in the catalogue. */
export const LAB_ERROR_CODES = Object.keys(CATALOGUE) as readonly LabErrorCode[];

/** A learner-facing failure with a stable code; `message` is ready to print. */
export class LabError extends Error {
  readonly code: LabErrorCode;
  readonly context: LabErrorContext;

  constructor(code: LabErrorCode, context: LabErrorContext = {}) {
    super(CATALOGUE[code](context));
    this.name = 'LabError';
    this.code = code;
    this.context = context;
  }
}

/** True for a LabError (also across module copies, by shape). */
export function isLabError(value: unknown): value is LabError {
  return value instanceof LabError || (value instanceof Error && value.name === 'LabError' && 'code' in value);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  │ ${line}`)
    .join('\n');
}
