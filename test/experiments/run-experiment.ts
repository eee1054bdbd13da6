/**
 * Shared by the experiment tests: run one experiment the way a reader would
 * (`node --import tsx scripts/experiments/<stem>.ts`), parse the JSON it prints, and look up
 * what site/data/measured.json claims, so each test checks the site's claim against this Node.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXPERIMENTS_DIR = `${PROJECT_ROOT}scripts/experiments/`;
export const MEASURED_JSON = `${PROJECT_ROOT}site/data/measured.json`;

/** One entry of site/data/measured.json. */
export interface MeasuredEntry {
  display: string;
  claim: string;
  /** File stem under scripts/experiments/, or null for a recorded observation with a `source`. */
  experiment: string | null;
  source?: string;
  kind: 'text' | 'figure';
  /** The figure in machine-readable form: what the tests compare the experiment's output with. */
  value: unknown;
  node: string;
}

export function readMeasured(): Record<string, MeasuredEntry> {
  return JSON.parse(readFileSync(MEASURED_JSON, 'utf8')) as Record<string, MeasuredEntry>;
}

/** The entry for `id`; throws when the id is missing, so a renamed id fails its test loudly. */
export function measured(id: string): MeasuredEntry {
  const entry = readMeasured()[id];
  if (!entry) throw new Error(`site/data/measured.json has no id "${id}"`);
  return entry;
}

/** The entry's value as a number (for figures stored as a single number). */
export function measuredNumber(id: string): number {
  const { value } = measured(id);
  if (typeof value !== 'number') throw new Error(`measured.json "${id}": value is not a number`);
  return value;
}

/** The entry's value as a [low, high] range. */
export function measuredRange(id: string): [number, number] {
  const { value } = measured(id);
  if (!Array.isArray(value) || value.length !== 2) throw new Error(`measured.json "${id}": value is not a [low, high] range`);
  return [Number(value[0]), Number(value[1])];
}

/**
 * Run scripts/experiments/<stem>.ts in a child process and return the JSON object it printed.
 * Fails with the experiment's stderr when it exits non-zero or prints something that is not JSON.
 */
export function runExperiment<T = Record<string, unknown>>(stem: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${EXPERIMENTS_DIR}${stem}.ts`], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`experiment ${stem} ended with ${signal ?? `exit code ${code}`}:\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as T);
      } catch {
        reject(new Error(`experiment ${stem} did not print one JSON object:\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** Assert |actual - expected| <= tolerance, with a message that shows all three. */
export function assertNear(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: expected ${expected} ± ${tolerance}, measured ${actual}`,
  );
}
