/**
 * Run every experiment in this folder, one after the other (they measure memory and time, so they
 * must not compete for the CPU), on one or several Node lines. This is how the figures in
 * site/data/measured.json are gathered and refreshed.
 *
 *   npm run experiments                                   # this Node: one JSON object on stdout
 *   npm run experiments -- --node 20,22,24,26             # every line: what differs between them
 *   npm run experiments -- --node 22,24 --only heap-limit,gc-near-limit
 *   npm run experiments -- --node 20,22,24,26 --tests     # also the tests that hold the site to them
 *
 * With --node, stdout is one JSON object { "<major>": { version, results: { "<experiment>": ... } } }
 * (write it to a file with --out FILE), and stderr lists, experiment by experiment, every output
 * field whose value is not the same on all lines: where measured.json needs a per-line record
 * (`byNode`). --tests then runs test/experiments on each line and prints how many passed and how
 * long the suite took. Node lines are found as scripts/experiments/lib/node-lines.ts describes.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { report } from './lib/harness.ts';
import { type NodeLine, resolveNodeLine, resolveNodeLines } from './lib/node-lines.ts';
import { runNode } from './lib/node-child.ts';
import { PROJECT_ROOT } from './lib/output-dir.ts';
import { differingFields } from './lib/compare-lines.ts';

const folder = fileURLToPath(new URL('./', import.meta.url));
/** Generous: the slowest experiment takes about half a minute on a busy 2-core machine. */
const EXPERIMENT_TIMEOUT_MS = 180_000;

const { values: options } = parseArgs({
  options: {
    node: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string' },
    tests: { type: 'boolean', default: false },
  },
});

const allExperiments = readdirSync(folder)
  .filter((name) => name.endsWith('.ts') && name !== 'run-all.ts')
  .map((name) => name.slice(0, -'.ts'.length))
  .sort();
const only = options.only?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !allExperiments.includes(name)) ?? [];
if (unknown.length > 0) throw new Error(`no such experiment: ${unknown.join(', ')} (known: ${allExperiments.join(', ')})`);
const experiments = only ?? allExperiments;

/** Run every selected experiment on one Node line; failures are recorded, not thrown. */
async function measureOn(line: NodeLine): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  for (const stem of experiments) {
    const outcome = await runNode(['--import', 'tsx', `${folder}${stem}.ts`], {
      node: line.executable,
      cwd: PROJECT_ROOT,
      timeoutMs: EXPERIMENT_TIMEOUT_MS,
    });
    process.stderr.write(`node ${line.version} ${stem}: ${(outcome.durationMs / 1000).toFixed(1)} s, exit ${outcome.signal ?? outcome.code}\n`);
    try {
      results[stem] = outcome.code === 0 ? JSON.parse(outcome.stdout) : { failed: outcome.stderr.slice(-2000) };
    } catch {
      results[stem] = { failed: `not one JSON object: ${outcome.stdout.slice(0, 500)}` };
    }
  }
  return results;
}

/** Run test/experiments on one line: the same command CI runs. */
async function testOn(line: NodeLine): Promise<{ passed: number; failed: number; skipped: number; seconds: number }> {
  const files = readdirSync(`${PROJECT_ROOT}test/experiments`)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => `test/experiments/${name}`);
  const outcome = await runNode(['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=tap', ...files], {
    node: line.executable,
    cwd: PROJECT_ROOT,
    timeoutMs: 30 * 60_000,
  });
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(outcome.stdout)?.[1] ?? NaN);
  for (const failure of outcome.stdout.matchAll(/^not ok \d+ - (.*)$/gm)) process.stderr.write(`  node ${line.version} failed: ${failure[1]}\n`);
  return { passed: count('pass'), failed: count('fail'), skipped: count('skipped'), seconds: Math.round(outcome.durationMs / 1000) };
}

const lines = options.node ? resolveNodeLines(options.node) : [resolveNodeLine(process.execPath)];

if (!options.node) {
  // One line: the experiments' results, as before, for reading or piping.
  report(await measureOn(lines[0]!));
} else {
  const byLine: Record<string, { version: string; results: Record<string, unknown> }> = {};
  for (const line of lines) byLine[line.major] = { version: line.version, results: await measureOn(line) };

  process.stderr.write(`\nFields that differ between Node ${lines.map((line) => line.version).join(', ')}:\n`);
  for (const stem of experiments) {
    const differences = differingFields(Object.fromEntries(lines.map((line) => [line.major, byLine[line.major]!.results[stem]])));
    if (differences.length === 0) continue;
    process.stderr.write(`\n${stem}\n`);
    for (const { field, values } of differences) {
      process.stderr.write(`  ${field}: ${Object.entries(values).map(([major, value]) => `${major} → ${value}`).join(' | ')}\n`);
    }
  }

  if (options.tests) {
    process.stderr.write('\ntest/experiments on each line:\n');
    for (const line of lines) {
      const outcome = await testOn(line);
      process.stderr.write(`  node ${line.version}: ${outcome.passed} passed, ${outcome.failed} failed, ${outcome.skipped} skipped in ${outcome.seconds} s\n`);
    }
  }

  const text = `${JSON.stringify(byLine, null, 2)}\n`;
  if (options.out) writeFileSync(options.out, text);
  else process.stdout.write(text);
}
