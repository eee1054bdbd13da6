/**
 * The counters lab fixtures expose to the checker (kit/lab-api.ts): what they count is what a
 * verdict's counter rule judges, so a count that is wrong is a wrong verdict.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { aliveCounter, readGauges } from '../../kit/lab-api.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** A WeakRef keeps its target until the job that made it ends: let it end, then collect. */
const collect = async () => {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
};

test('an object tracked again and again counts once: one reused buffer is one buffer held', () => {
  const track = aliveCounter('reusedForTest', 'buffers still alive');
  const reused = new ArrayBuffer(1024);
  for (let upload = 0; upload < 50; upload++) track(reused);
  const other = new ArrayBuffer(1024);
  track(other);
  assert.equal(readGauges().reusedForTest, 2);
});

test('what the server lets go is no longer counted, and counting keeps nothing alive', async () => {
  const track = aliveCounter('droppedForTest', 'bodies still alive');
  const kept: ArrayBuffer[] = [];
  // In a function of its own: a suspended async function would keep its last body in a register.
  const serve = () => {
    for (let i = 0; i < 20; i++) {
      const body = new ArrayBuffer(1024);
      track(body);
      if (i % 4 === 0) kept.push(body);
    }
  };
  serve();
  await collect();
  assert.equal(readGauges().droppedForTest, kept.length);
});
