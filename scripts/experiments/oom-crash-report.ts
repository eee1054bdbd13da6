/**
 * What an out-of-memory crash leaves in the log when no diagnostic flag was set. The leaking child
 * from gc-near-limit runs with a 64 MB cap and no --trace-gc. When V8 gives up, the process prints
 * a crash report on stderr: the last few GC lines (in --trace-gc's format) under
 * "<--- Last few GCs --->", then one "FATAL ERROR: ..." line and a native stack trace, and it dies
 * from SIGABRT. So even a service started without flags leaves the end of its GC history behind.
 *
 *   node --import tsx scripts/experiments/oom-crash-report.ts
 */
import { fileURLToPath } from 'node:url';
import { report } from './lib/harness.ts';
import { runNode } from './lib/node-child.ts';
import { parseTraceGc } from './lib/trace-gc.ts';

const subject = fileURLToPath(new URL('./lib/grow-until-oom.ts', import.meta.url));
const outcome = await runNode(['--max-old-space-size=64', '--import', 'tsx', subject], { timeoutMs: 60_000 });

const LAST_GCS_HEADER = '<--- Last few GCs --->';
const headerAt = outcome.stderr.indexOf(LAST_GCS_HEADER);
const stackAt = outcome.stderr.indexOf('<--- JS stacktrace --->');
const lastGcsSection = headerAt >= 0 ? outcome.stderr.slice(headerAt, stackAt >= 0 ? stackAt : undefined) : '';
// V8 keeps these lines in a small ring buffer and sometimes prints them run together or cut short;
// the parser splits entries on their "[pid:isolate]" heads.
const gcEntries = parseTraceGc(lastGcsSection).map((gc) => gc.kind);
const fatalLine = /^FATAL ERROR: .*$/m.exec(outcome.stderr)?.[0] ?? null;

report(
  {
    exitSignal: outcome.signal,
    stdoutHasGcLines: parseTraceGc(outcome.stdout).length > 0,
    lastFewGcs: { headerPrinted: headerAt >= 0, entries: gcEntries.length, kinds: [...new Set(gcEntries)] },
    fatalLine,
    nativeStackTrace: outcome.stderr.includes('Native stack trace'),
  },
  `${outcome.signal}: ${fatalLine}; ${gcEntries.length} GC entries under "${LAST_GCS_HEADER}"`,
);
