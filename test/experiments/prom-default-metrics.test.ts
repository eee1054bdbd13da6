import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, measuredNumber, runExperiment } from './run-experiment.ts';

interface Result {
  memoryMetrics: string[];
  heapSpaces: string[];
  directReadDifferenceBytes: number;
  metricsNamingALimit: string[];
  samplesEqualToHeapLimit: number;
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('prom-default-metrics');
});

test('the default metrics include the quoted memory metrics (prom-default-metrics)', () => {
  const quoted = measured('prom-default-metrics').value as string[];
  for (const name of quoted) {
    // A histogram is exposed as <name>_bucket, _sum and _count.
    assert.ok(result.memoryMetrics.some((exposed) => exposed === name || exposed.startsWith(`${name}_`)), `${name} is exposed`);
  }
  assert.ok(result.heapSpaces.includes('old'), 'per-space gauges carry space="old"');
});

test('nodejs_heap_size_used_bytes is process.memoryUsage().heapUsed (prom-heap-used-metric)', () => {
  assert.ok(result.memoryMetrics.includes(String(measured('prom-heap-used-metric').value)));
  // Read back to back: only the few hundred bytes collecting allocates may separate them. A
  // different quantity (heapTotal, RSS, old space alone) would differ by megabytes.
  assert.ok(Math.abs(result.directReadDifferenceBytes) < 64 * 1024, `difference ${result.directReadDifferenceBytes} bytes`);
});

test('no default metric exposes the heap limit (prom-no-heap-limit)', () => {
  assert.equal(result.metricsNamingALimit.length, measuredNumber('prom-no-heap-limit'));
  assert.equal(result.samplesEqualToHeapLimit, 0);
});
