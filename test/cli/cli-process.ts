/**
 * Test helpers: run the real `leaklab` executable as a child process (as a learner would), read its
 * output and exit code, and find the processes it started so tests can prove none outlives it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'cli', 'leaklab.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * How long to wait for something the CLI should print or do before giving up: a safety net so a
 * broken CLI fails the test instead of hanging it, never a measure of speed (a loaded machine may
 * take many times longer than usual; the bench measures speed).
 */
export const SAFETY_NET_MS = 120_000;

export interface RunningCli {
  proc: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  done: Promise<CliResult>;
  /** Resolves once stdout+stderr match `pattern` (rejects after the safety net). */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
}

/**
 * The learner's workspace the CLI sees unless a test names one: a scratch folder for this test
 * process, so running the CLI's tests never writes into the project's own workspace/. Under
 * output/, inside the project, so the copies still resolve its node_modules.
 */
const SCRATCH_WORKSPACE = process.env.LEAKLAB_WORKSPACE ?? scratchFolder(path.join(ROOT, 'output'), 'test-workspace-');
/** The output folder (progress, backups) the CLI sees unless a test names one: never the project's output/. */
const SCRATCH_OUTPUT = process.env.LEAKLAB_OUTPUT ?? scratchFolder(os.tmpdir(), 'leaklab-test-output-');

/** A folder that lives as long as this test process. */
function scratchFolder(parent: string, prefix: string): string {
  mkdirSync(parent, { recursive: true });
  const folder = mkdtempSync(path.join(parent, prefix));
  process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/**
 * A scratch copy of the course (labs, solutions) with the real kit, CLI and packages linked in, so
 * that a command run on it never touches the real labs, learner files or output/. Point the CLI at
 * it with scratchEnv(dir): its learners' workspace and output folder are made inside it on first use.
 */
export function scratchCourse(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'leaklab-course-'));
  for (const folder of ['labs', 'solutions']) cpSync(path.join(ROOT, folder), path.join(dir, folder), { recursive: true });
  for (const link of ['kit', 'cli', 'node_modules']) symlinkSync(path.join(ROOT, link), path.join(dir, link));
  cpSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  return dir;
}

export function scratchEnv(dir: string): { LEAKLAB_ROOT: string; LEAKLAB_WORKSPACE: string; LEAKLAB_OUTPUT: string } {
  return { LEAKLAB_ROOT: dir, LEAKLAB_WORKSPACE: path.join(dir, 'workspace'), LEAKLAB_OUTPUT: path.join(dir, 'output') };
}

/**
 * CLIs still running when a test file ends (a test that failed before it stopped its CLI): killed,
 * so one failure does not hang the whole suite on a child that never exits.
 */
const running = new Set<ChildProcess>();
after(() => {
  for (const proc of running) proc.kill('SIGKILL');
});

export function startCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const proc = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', LEAKLAB_WORKSPACE: SCRATCH_WORKSPACE, LEAKLAB_OUTPUT: SCRATCH_OUTPUT, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
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
    proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
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
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the CLI never printed ${pattern}; it printed:\n${stdout}\n${stderr}`)), SAFETY_NET_MS);
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

/**
 * Pids of the lab processes `pid` started: its direct children that run the probe (every lab
 * process does, kit/lab-process.ts). Other children a CLI may have for a moment (a compiler
 * service, a helper command) are not labs.
 */
export function labProcessesOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('kit/probe.ts'))
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

const pause = () => new Promise((resolve) => setTimeout(resolve, 50));

/**
 * Wait until none of `pids` is alive (a killed process is gone once it is reaped, a moment after
 * the kill); answers the ones still alive when the safety net runs out, for the assertion to show.
 */
export async function waitGone(pids: number[]): Promise<number[]> {
  const deadline = Date.now() + SAFETY_NET_MS;
  while (pids.some(isAlive) && Date.now() < deadline) await pause();
  return pids.filter(isAlive);
}

/** Wait until `pid` has started at least one lab process; answers their pids. */
export async function waitForLabProcesses(pid: number): Promise<number[]> {
  const deadline = Date.now() + SAFETY_NET_MS;
  let labs = labProcessesOf(pid);
  while (labs.length === 0 && Date.now() < deadline) {
    await pause();
    labs = labProcessesOf(pid);
  }
  return labs;
}
