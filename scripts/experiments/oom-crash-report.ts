/**
 * What an out-of-memory crash leaves in the log when no diagnostic flag was set. The leaking child
 * from gc-near-limit runs with a 64 MB cap and no --trace-gc. When V8 gives up, the process prints
 * a crash report on stderr: the last few GC lines (in --trace-gc's format) under
 * "<--- Last few GCs --->", then one "FATAL ERROR: ..." line and a native stack trace, and it dies
 * from SIGABRT. So even a service started without flags leaves the end of its GC history behind.
 * The child runs under a shell, as a container's entry point often does, to read the exit status
 * the shell (and a container runtime) reports for it: 128 + the signal's number. A process the
 * kernel kills for exceeding a memory limit gets SIGKILL instead; the shell reports that too.
 *
 *   node --import tsx scripts/experiments/oom-crash-report.ts
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { report } from './lib/harness.ts';
import { parseTraceGc } from './lib/trace-gc.ts';

const subject = fileURLToPath(new URL('./lib/grow-until-oom.ts', import.meta.url));

/** Run `command` under `sh -c`, not as its last command (so the shell waits and reports the status). */
function underShell(script: string, ...args: string[]) {
  return spawnSync('sh', ['-c', `${script}; exit $?`, 'sh', ...args], { encoding: 'utf8', timeout: 120_000 });
}

// "$@" is the leaking child; the shell waits for it and exits with the status it saw.
const crash = underShell('"$@"', process.execPath, '--max-old-space-size=64', '--import', 'tsx', subject);
const outcome = { stdout: crash.stdout, stderr: crash.stderr, signal: crash.status !== null && crash.status > 128 ? signalName(crash.status - 128) : null };
// A process killed with SIGKILL, as the kernel's OOM killer does: what the shell reports.
const killed = underShell('"$@" & kill -KILL $!; wait $!', process.execPath, '-e', 'setInterval(() => {}, 1000)');

function signalName(number: number): string | null {
  return ({ 6: 'SIGABRT', 9: 'SIGKILL' } as Record<number, string>)[number] ?? `signal ${number}`;
}

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
    shellExitStatus: crash.status,
    killedShellExitStatus: killed.status,
    stdoutHasGcLines: parseTraceGc(outcome.stdout).length > 0,
    lastFewGcs: { headerPrinted: headerAt >= 0, entries: gcEntries.length, kinds: [...new Set(gcEntries)] },
    fatalLine,
    nativeStackTrace: outcome.stderr.includes('Native stack trace'),
  },
  `${outcome.signal}: ${fatalLine}; ${gcEntries.length} GC entries under "${LAST_GCS_HEADER}"`,
);
