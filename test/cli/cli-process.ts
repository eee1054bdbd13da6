/**
 * Test helpers: run the real `leaklab` executable as a child process (as a learner would), read its
 * output and exit code, and find the processes it started so tests can prove none outlives it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'cli', 'leaklab.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunningCli {
  proc: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  done: Promise<CliResult>;
  /** Resolves once stdout+stderr match `pattern` (rejects after timeoutMs). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

/**
 * The learner's workspace the CLI sees unless a test names one: a scratch folder for this test
 * process, so running the CLI's tests never writes into the project's own workspace/. Under
 * output/, inside the project, so the copies still resolve its node_modules.
 */
const SCRATCH_WORKSPACE = process.env.LEAKLAB_WORKSPACE ?? scratchWorkspace();

function scratchWorkspace(): string {
  mkdirSync(path.join(ROOT, 'output'), { recursive: true });
  const folder = mkdtempSync(path.join(ROOT, 'output', 'test-workspace-'));
  process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

export function startCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const started = Date.now();
  const proc = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', LEAKLAB_WORKSPACE: SCRATCH_WORKSPACE, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  const done = new Promise<CliResult>((resolve) => {
    proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
  return {
    proc,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    done,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; got:\n${stdout}\n${stderr}`)), timeoutMs);
        const check = () => {
          const match = (stdout + stderr).match(pattern);
          if (match) {
            clearTimeout(timer);
            resolve(match);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

/** Run the CLI to completion. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

/** Pids of the direct children of `pid` (the lab processes the CLI spawned). */
export function childrenOf(pid: number): number[] {
  try {
    // Only lab processes (they load the probe): tsx also starts an esbuild service as a child of the
    // CLI, and counting it made "one lab process" read 2 on Node 22.
    return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('probe.ts'))
      .map((line) => Number(line.trim().split(/\s+/)[0]))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there is none
  }
}

/** Pids of every process whose command line mentions `text` (a fixture path only these tests run). */
export function processesMentioning(text: string): number[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes(' ps -eo'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Wait until none of `pids` is alive, up to timeoutMs; answers the ones still alive. */
export async function waitGone(pids: number[], timeoutMs = 3000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pids.every((pid) => !isAlive(pid))) return [];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return pids.filter(isAlive);
}
