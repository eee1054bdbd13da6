import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measuredNumber, measuredRange, runExperiment } from './run-experiment.ts';

interface Result {
  connections: number;
  trailBytes: number;
  lab: { bytesPerConnection: number; arrayBuffersBytesPerConnection: number };
  solution: { bytesPerConnection: number; arrayBuffersBytesPerConnection: number };
}

let result: Result;

before(async () => {
  result = await runExperiment<Result>('lab-06-socket-state');
});

test('a presence trail is 8 KiB of doubles (lab06-trail-bytes)', () => {
  assert.equal(result.trailBytes, measuredNumber('lab06-trail-bytes'));
});

test('the shipped server keeps every visitor, mostly the trail (lab06-kept-per-connection)', () => {
  const [low, high] = measuredRange('lab06-kept-per-connection');
  assert.ok(result.lab.bytesPerConnection >= low && result.lab.bytesPerConnection <= high, `${result.lab.bytesPerConnection} B per connection`);
  // The trail's typed array is outside the heap: arrayBuffers grows by one trail per visitor.
  assert.ok(Math.abs(result.lab.arrayBuffersBytesPerConnection - result.trailBytes) < 256, `${result.lab.arrayBuffersBytesPerConnection} B of arrayBuffers`);
});

test('the solution keeps no visitor (lab06-solution-kept)', () => {
  assert.ok(result.solution.bytesPerConnection < measuredNumber('lab06-solution-kept'), `${result.solution.bytesPerConnection} B per connection`);
  assert.ok(Math.abs(result.solution.arrayBuffersBytesPerConnection) < 256, 'no trail left behind');
});
