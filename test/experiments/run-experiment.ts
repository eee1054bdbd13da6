/**
 * Shared by the experiment tests: run one experiment the way a reader would
 * (`node --import tsx scripts/experiments/<stem>.ts`), parse the JSON it prints, and look up
 * what site/data/measured.json claims for the Node line running the tests, so each test checks the
 * site's claim against this Node.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXPERIMENTS_DIR = `${PROJECT_ROOT}scripts/experiments/`;
export const MEASURED_JSON = `${PROJECT_ROOT}site/data/measured.json`;

/** The Node line running the tests, as measured.json keys its per-line records: "20", "22", ... */
export const NODE_LINE = process.versions.node.split('.')[0]!;

/** What one line measured: the figure the page shows and the value the tests compare with. */
export interface LineRecord {
  /** The exact version measured, e.g. "24.22.3". */
  node: string;
  display: string;
  /** The figure in machine-readable form: what the tests compare the experiment's output with. */
  value: unknown;
}

/** One entry of site/data/measured.json: one figure for every line, or one record per line. */
export interface MeasuredEntry {
  /** One sentence that is true on every line measured. */
  claim: string;
  /** File stem under scripts/experiments/. */
  experiment: string;
  kind: 'text' | 'figure';
  display?: string;
  value?: unknown;
  /** The exact versions an entry without `byNode` was measured on. */
  nodes?: string[];
  byNode?: Record<string, LineRecord>;
}

/** What a test compares with on the running Node line. */
export interface MeasuredHere {
  claim: string;
  display: string;
  value: unknown;
}

export function readMeasured(): Record<string, MeasuredEntry> {
  return JSON.parse(readFileSync(MEASURED_JSON, 'utf8')) as Record<string, MeasuredEntry>;
}

function entry(id: string): MeasuredEntry {
  const found = readMeasured()[id];
  if (!found) throw new Error(`site/data/measured.json has no id "${id}"`);
  return found;
}

/**
 * A reason to skip a test when one of `ids` has per-line records but none for the running Node
 * (a line the course has not been measured on yet), or false: pass it as the test's `skip` option.
 */
export function unmeasuredHere(...ids: string[]): string | false {
  const missing = ids.filter((id) => {
    const { byNode } = entry(id);
    return byNode !== undefined && byNode[NODE_LINE] === undefined;
  });
  if (missing.length === 0) return false;
  return `measured.json has no Node ${NODE_LINE} record for ${missing.join(', ')}: measure it with npm run experiments -- --node ${NODE_LINE}`;
}

/** The figure `id` claims on the running Node line; throws when the id is missing or this line is. */
export function measured(id: string): MeasuredHere {
  const found = entry(id);
  if (found.byNode) {
    const record = found.byNode[NODE_LINE];
    if (!record) throw new Error(`measured.json "${id}" has no record for Node ${NODE_LINE} (skip the test with unmeasuredHere)`);
    return { claim: found.claim, display: record.display, value: record.value };
  }
  return { claim: found.claim, display: found.display!, value: found.value };
}

/** The figure as a number (for figures stored as a single number). */
export function measuredNumber(id: string): number {
  const { value } = measured(id);
  if (typeof value !== 'number') throw new Error(`measured.json "${id}": value is not a number`);
  return value;
}

/** The figure as a [low, high] range. */
export function measuredRange(id: string): [number, number] {
  const { value } = measured(id);
  if (!Array.isArray(value) || value.length !== 2) throw new Error(`measured.json "${id}": value is not a [low, high] range`);
  return [Number(value[0]), Number(value[1])];
}

/**
 * Run scripts/experiments/<stem>.ts in a child process and return the JSON object it printed.
 * Fails with the experiment's stderr when it exits non-zero or prints something that is not JSON.
 */
export function runExperiment<T = Record<string, unknown>>(stem: string, timeoutMs = 240_000): Promise<T> {
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
