/**
 * The old generation's limit gauge (nodejs_heap_old_generation_limit_bytes, kit/metrics.ts), read
 * from real processes started with the flags a deployment uses: it is the --max-old-space-size the
 * process runs with, heap_size_limit is that plus the young generation's reserve, and without a
 * limit flag the gauge is absent rather than made up (the alert rules then open a ticket).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { HEAP_LIMIT_METRIC, OLD_GENERATION_LIMIT_METRIC, oldGenerationLimitBytes } from '../../kit/metrics.ts';

const PRINT_METRICS = path.resolve(import.meta.dirname, 'fixtures', 'print-metrics.ts');
const MIB = 1024 * 1024;

/** The metrics of a fresh process started with `flags` (and NODE_OPTIONS), by series name. */
function metricsWith(flags: string[], nodeOptions = ''): Map<string, number> {
  const run = spawnSync(process.execPath, [...flags, '--import', 'tsx', PRINT_METRICS], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  });
  assert.equal(run.status, 0, run.stderr);
  const samples = new Map<string, number>();
  for (const line of run.stdout.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return samples;
}

describe('the old generation limit gauge', () => {
  it('is --max-old-space-size, and heap_size_limit adds the young reserve on top', () => {
    const samples = metricsWith(['--max-old-space-size=256', '--max-semi-space-size=16']);
    assert.equal(samples.get(OLD_GENERATION_LIMIT_METRIC), 256 * MIB);
    // Three semi-spaces' worth of young generation (the container-heap-sizing experiment).
    assert.equal(samples.get(HEAP_LIMIT_METRIC)! - samples.get(OLD_GENERATION_LIMIT_METRIC)!, 3 * 16 * MIB);
  });

  it('follows the flag given last, on the command line after NODE_OPTIONS', () => {
    assert.equal(metricsWith(['--max-old-space-size=192'], '--max-old-space-size=128').get(OLD_GENERATION_LIMIT_METRIC), 192 * MIB);
    assert.equal(metricsWith([], '--max-old-space-size=128').get(OLD_GENERATION_LIMIT_METRIC), 128 * MIB);
  });

  // Node 20 refuses the flag ("bad option"); the container-heap-sizing experiment records which lines know it.
  const noPercentage = process.versions.node.startsWith('20.') && 'Node 20 has no --max-old-space-size-percentage';
  it('with --max-old-space-size-percentage, is the share of memory V8 gives the old generation', { skip: noPercentage }, () => {
    const samples = metricsWith(['--max-old-space-size-percentage=10', '--max-semi-space-size=16']);
    const v8OldGeneration = samples.get(HEAP_LIMIT_METRIC)! - 3 * 16 * MIB;
    const gauge = samples.get(OLD_GENERATION_LIMIT_METRIC)!;
    assert.ok(Math.abs(gauge - v8OldGeneration) <= MIB, `gauge ${gauge / MIB} MiB, V8's old generation ${v8OldGeneration / MIB} MiB`);
  });

  it('is absent when the process was started without a limit', () => {
    const samples = metricsWith([]);
    assert.ok(samples.has(HEAP_LIMIT_METRIC), 'the heap limit is always there');
    assert.equal(samples.has(OLD_GENERATION_LIMIT_METRIC), false);
  });

  it('reads every spelling Node accepts', () => {
    assert.equal(oldGenerationLimitBytes(['--max_old_space_size=64'], ''), 64 * MIB);
    assert.equal(oldGenerationLimitBytes(['--max-old-space-size', '96'], ''), 96 * MIB);
    assert.equal(oldGenerationLimitBytes([], '--inspect --max-old-space-size=80'), 80 * MIB);
    assert.equal(oldGenerationLimitBytes(['--expose-gc'], ''), null);
  });
});
