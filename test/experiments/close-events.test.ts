import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, runExperiment } from './run-experiment.ts';

interface Result {
  get: Record<'client-abort' | 'server-end' | 'socket-destroy', { reqClose: boolean; resClose: boolean }>;
  post: { reqCloseMs: number | null; respondedMs: number; resCloseMs: number | null; reqClosedWhileClientWaiting: boolean };
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('close-events');
});

test("on a streaming GET, req and res 'close' both fire in every ending (close-events-get)", () => {
  const both = measured('close-events-get').value;
  for (const [ending, fired] of Object.entries(result.get)) {
    assert.equal(fired.reqClose && fired.resClose, both, `${ending}: req ${fired.reqClose}, res ${fired.resClose}`);
  }
});

test("on a POST, req 'close' fires while the client still waits; res 'close' after the response (close-events-post)", () => {
  assert.equal(result.post.reqClosedWhileClientWaiting, measured('close-events-post').value);
  assert.ok(result.post.resCloseMs !== null && result.post.resCloseMs >= result.post.respondedMs, 'res closes only at the end');
});
