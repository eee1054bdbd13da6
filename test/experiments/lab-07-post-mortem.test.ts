import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measuredRange, runExperiment } from './run-experiment.ts';

interface Result {
  keptPerRequest: number;
  untilItDies: {
    requests: number;
    seconds: number;
    exit: { reason: string; signal: string | null };
    snapshots: number;
    snapshotMiB: number | null;
    snapshotAt: { requests: number; seconds: number } | null;
  } | null;
  untilItDiesSkipped: string | null;
}

let result: Result;

before(async () => {
  result = await runExperiment<Result>('lab-07-post-mortem', 30 * 60_000);
});

test('the shop keeps about a kilobyte per request (lab07-kept-per-request)', () => {
  const [low, high] = measuredRange('lab07-kept-per-request');
  assert.ok(result.keptPerRequest >= low && result.keptPerRequest <= high, `${result.keptPerRequest} B per request`);
});
