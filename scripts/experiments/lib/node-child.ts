/**
 * Run a fresh Node process with given V8/Node flags and collect what it printed and how it ended.
 * Experiments about start-up flags (--max-old-space-size, --trace-gc, --heapsnapshot-near-heap-limit)
 * and about crashes need their own process: the flags cannot be changed later and a crash must not
 * take the experiment down with it.
 */
import { spawn } from 'node:child_process';

export interface ChildOutcome {
  stdout: string;
  stderr: string;
  /** Exit code, or null when a signal ended the process (V8 aborts on out-of-memory: SIGABRT). */
  code: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
}

export interface RunOptions {
  timeoutMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The node executable; the one running this script unless given (run-all measures other lines). */
  node?: string;
}

/** Run `node <args>` to completion (or kill it after `timeoutMs`) and return its output. */
export function runNode(args: readonly string[], options: RunOptions = {}): Promise<ChildOutcome> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, signal, durationMs: Math.round(performance.now() - started) });
    });
  });
}

/** Evaluate a small JavaScript program in a fresh `node` with `flags` and return what it printed. */
export async function evalInFreshNode(flags: readonly string[], program: string): Promise<string> {
  const outcome = await runNode([...flags, '-e', program]);
  if (outcome.code !== 0) throw new Error(`node ${flags.join(' ')} -e ... failed: ${outcome.stderr}`);
  return outcome.stdout.trim();
}
