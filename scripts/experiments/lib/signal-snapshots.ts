/**
 * Drive a server started with --heapsnapshot-signal: start it as a child process (flags on the
 * command line or in NODE_OPTIONS), send it the signal, wait until the snapshot file is complete,
 * and ask the server over HTTP whether it still answers. Shared by the heapsnapshot-signal and
 * diagnostic-node-options experiments.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const TARGET = fileURLToPath(new URL('./snapshot-target.ts', import.meta.url));

export interface Target {
  child: ChildProcess;
  port: number;
  /** Resolves with how the process ended, whenever that happens. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Start the Express target with `flags` and, optionally, NODE_OPTIONS and a working directory
 * (where snapshots go without --diagnostic-dir); resolve once it listens.
 */
export function startTarget(flags: readonly string[], nodeOptions?: string, cwd?: string): Promise<Target> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  if (nodeOptions !== undefined) env.NODE_OPTIONS = nodeOptions;
  // "--import tsx" resolves from the working directory: give tsx's own URL so any cwd works.
  const tsx = import.meta.resolve('tsx');
  const child = spawn(process.execPath, [...flags, '--import', tsx, TARGET], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening (\d+)/.exec(stdout);
      if (match) resolve({ child, port: Number(match[1]), ended });
    });
    child.on('error', reject);
    void ended.then(({ code, signal }) => reject(new Error(`the target ended before listening (${signal ?? code}): ${stderr}`)));
  });
}

/** GET / on the target: true when it answered "ok" within `timeoutMs`. */
export async function answers(target: Target, timeoutMs = 30_000): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${target.port}/`, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok && (await response.text()) === 'ok';
  } catch {
    return false;
  }
}

/** The files in `dir` whose names end with `suffix`, oldest name first. */
export function filesIn(dir: string, suffix: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith(suffix)).sort();
}

/** The .heapsnapshot files in `dir`, oldest name first. */
export function snapshotsIn(dir: string): string[] {
  return filesIn(dir, '.heapsnapshot');
}

/** A file's permission bits as an octal string, e.g. "600". */
export function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

/**
 * Wait until `dir` holds more than `before` files ending with `suffix`, or give up after
 * `timeoutMs`. Returns the new file's name, or null.
 */
export async function waitForNewFile(dir: string, before: number, suffix: string, timeoutMs = 30_000): Promise<string | null> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const files = filesIn(dir, suffix);
    if (files.length > before) return files[files.length - 1]!;
    await sleep(20);
  }
  return null;
}

/**
 * Wait until `dir` holds more than `before` snapshots (see waitForNewFile). The snapshot is written
 * on the server's main thread, so once the file exists, an HTTP answer from the server means the
 * write has finished.
 */
export function waitForNewSnapshot(dir: string, before: number, timeoutMs = 30_000): Promise<string | null> {
  return waitForNewFile(dir, before, '.heapsnapshot', timeoutMs);
}

/** Stop the target and wait for it to be gone. */
export async function stopTarget(target: Target): Promise<void> {
  if (target.child.exitCode === null && target.child.signalCode === null) target.child.kill('SIGKILL');
  await target.ended;
}
