import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measuredNumber, runExperiment } from './run-experiment.ts';

interface Result {
  machineMemoryGiB: number;
  defaultLimitMiB: number;
  limitMiBByMaxOldSpaceSize: Record<string, number>;
  extraOverOldSpaceMiB: number;
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('heap-limit');
});

test('--max-old-space-size=N gives a heap limit of N MiB plus the young generation (heap-limit-flag)', () => {
  const young = measuredNumber('heap-limit-flag');
  // Exact: V8 computes these limits from the flag, nothing here is measured with noise.
  for (const [oldSpace, limit] of Object.entries(result.limitMiBByMaxOldSpaceSize)) {
    assert.equal(limit, Number(oldSpace) + young, `--max-old-space-size=${oldSpace}`);
  }
});

test('without flags the limit comes from machine memory: 4144 MiB on a 24 GB machine (heap-limit-default-mib)', (t) => {
  assert.ok(result.defaultLimitMiB > result.limitMiBByMaxOldSpaceSize['64']!, 'the default is larger than a 64 MiB cap');
  // The figure is specific to a machine with about 24 GB: elsewhere V8 picks another limit.
  if (Math.abs(result.machineMemoryGiB - 23.5) > 1) {
    t.diagnostic(`this machine has ${result.machineMemoryGiB} GiB: default limit ${result.defaultLimitMiB} MiB, not compared`);
    return;
  }
  assert.equal(result.defaultLimitMiB, measuredNumber('heap-limit-default-mib'));
});
