import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, measuredNumber, runExperiment, unmeasuredHere } from './run-experiment.ts';

interface Result {
  oldSpaceMiB: number;
  defaultYoungReserveMiB: number;
  defaultSemiSpaceMiB: number;
  youngReserveBySemiSpace: Record<string, number>;
  percentageFlag: {
    percentage: number;
    accepted: boolean;
    refusedWith: string | null;
    oldGenerationMiB: number | null;
    expectedOldGenerationMiB: number;
  };
  constrainedMemory: { reported: number; containerLimitMiB: number | null; machineMiB: number };
}

let result: Result;

before(async () => {
  result = await runExperiment<Result>('container-heap-sizing');
});

test('heap_size_limit adds three times the semi-space to the old generation (semi-space-flag)', () => {
  const factor = measuredNumber('semi-space-flag');
  for (const [semi, reserve] of Object.entries(result.youngReserveBySemiSpace)) {
    assert.equal(reserve, factor * Number(semi), `--max-semi-space-size=${semi}`);
  }
});

test("this line's default young reserve (young-generation-reserve)", { skip: unmeasuredHere('young-generation-reserve') }, () => {
  assert.equal(result.defaultYoungReserveMiB, measuredNumber('young-generation-reserve'));
  assert.equal(result.defaultYoungReserveMiB, result.defaultSemiSpaceMiB * measuredNumber('semi-space-flag'));
});

test('--max-old-space-size-percentage exists on this line or not, and sizes the old generation from memory (old-space-percentage-flag)', { skip: unmeasuredHere('old-space-percentage-flag') }, () => {
  const { percentageFlag } = result;
  assert.equal(percentageFlag.accepted, measured('old-space-percentage-flag').value);
  if (percentageFlag.accepted) {
    // P% of the memory Node sees, to the MiB (V8 rounds down to whole pages).
    assert.ok(Math.abs(percentageFlag.oldGenerationMiB! - percentageFlag.expectedOldGenerationMiB) <= 1, `${percentageFlag.oldGenerationMiB} MiB`);
  } else {
    assert.match(percentageFlag.refusedWith ?? '', /bad option/);
  }
});

test('process.constrainedMemory() exists and reads the cgroup limit (constrained-memory)', () => {
  assert.equal(typeof result.constrainedMemory.reported === 'number', measured('constrained-memory').value);
  // A limit, when there is one, is below the machine's memory; otherwise Node reports none.
  if (result.constrainedMemory.containerLimitMiB !== null) assert.ok(result.constrainedMemory.containerLimitMiB <= result.constrainedMemory.machineMiB * 1.01);
});
