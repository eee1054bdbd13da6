/**
 * Run every experiment in this folder, one after the other (they measure memory and time, so they
 * must not compete for the CPU), and print one JSON object: { "<experiment>": its result, ... }.
 * Timings go to stderr. This is how the figures in site/data/measured.json were gathered.
 *
 *   node --import tsx scripts/experiments/run-all.ts
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { report } from './lib/harness.ts';
import { runNode } from './lib/node-child.ts';

const folder = fileURLToPath(new URL('./', import.meta.url));
const experiments = readdirSync(folder)
  .filter((name) => name.endsWith('.ts') && name !== 'run-all.ts')
  .map((name) => name.slice(0, -'.ts'.length))
  .sort();

const results: Record<string, unknown> = {};
for (const stem of experiments) {
  const outcome = await runNode(['--import', 'tsx', `${folder}${stem}.ts`], { timeoutMs: 120_000 });
  process.stderr.write(`${stem}: ${outcome.durationMs} ms, exit ${outcome.code}\n`);
  results[stem] = outcome.code === 0 ? JSON.parse(outcome.stdout) : { failed: outcome.stderr.slice(-2000) };
}
report(results);
