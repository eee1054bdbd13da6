import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { PROJECT_ROOT, measured, measuredNumber, measuredRange, runExperiment } from './run-experiment.ts';

interface Megabytes {
  churn: number;
  remember: number;
}

interface Result {
  heapProfByEnding: Record<'natural' | 'exit' | 'handler' | 'nohandler', { exit: number | string | null; profilesWritten: number; megabytes: Megabytes | null }>;
  inProcessSampling: { liveOnly: Megabytes; withCollected: Megabytes };
  timing: { noneMs: number; samplingMs: number; trackingMs: number; trackingOverSampling: number };
}

let result: Result;

before(async () => {
  result = await runExperiment<Result>('heap-prof-sampling');
});

test('a sampling profile shows what is still alive, not what allocated most (sampling-keeps-live)', () => {
  const { churnMaxMB, rememberMB } = measured('sampling-keeps-live').value as { churnMaxMB: number; rememberMB: [number, number] };
  // The same holds in the files --heap-prof wrote and in the profile taken in-process.
  const profiles = [result.inProcessSampling.liveOnly, result.heapProfByEnding.exit.megabytes!];
  for (const megabytes of profiles) {
    assert.ok(megabytes.churn <= churnMaxMB, `churn() shows ${megabytes.churn} MB`);
    assert.ok(megabytes.remember >= rememberMB[0] && megabytes.remember <= rememberMB[1], `remember() shows ${megabytes.remember} MB`);
  }
});

test('asked to keep collected objects, the profile is dominated by the garbage (sampling-with-collected)', () => {
  const [low, high] = measuredRange('sampling-with-collected');
  const { churn, remember } = result.inProcessSampling.withCollected;
  assert.ok(churn >= low && churn <= high, `churn() shows ${churn} MB`);
  assert.ok(churn > remember * 5, 'churn() allocated many times what remember() kept');
});

test('--heap-prof writes its file on every ending through Node, not when a signal kills the process (heap-prof-endings)', () => {
  const expected = measured('heap-prof-endings').value as Record<string, boolean>;
  for (const [ending, run] of Object.entries(result.heapProfByEnding)) {
    assert.equal(run.profilesWritten > 0, expected[ending], `${ending}: ${run.profilesWritten} profiles, exit ${run.exit}`);
  }
  assert.equal(result.heapProfByEnding.nohandler.exit, 'SIGTERM');
});

test('the allocation timeline costs far more than sampling (allocation-tracking-cost)', () => {
  assert.ok(result.timing.trackingOverSampling >= measuredNumber('allocation-tracking-cost'), `tracking took ${result.timing.trackingOverSampling} times as long`);
});

test('the experiment removes the files it wrote', () => {
  const left = readdirSync(join(PROJECT_ROOT, 'output', 'experiments')).filter((name) => name.startsWith('heap-prof-sampling-'));
  assert.deepEqual(left, []);
});
