import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measuredNumber, runExperiment } from './run-experiment.ts';

interface Result {
  defaults: { pingIntervalMs: number; pingTimeoutMs: number };
  defaultWorstCaseDropS: number;
  scaled: { pingIntervalMs: number; pingTimeoutMs: number };
  scaledBoundMs: number;
  droppedAfterMs: number;
  disconnectReason: string;
  clientProcessStillAlive: boolean;
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('socketio-ping');
});

test('socket.io pings every 25 s by default (socketio-ping-interval-ms)', () => {
  assert.equal(result.defaults.pingIntervalMs, measuredNumber('socketio-ping-interval-ms'));
});

test('socket.io waits 20 s for the answer by default (socketio-ping-timeout-ms)', () => {
  assert.equal(result.defaults.pingTimeoutMs, measuredNumber('socketio-ping-timeout-ms'));
});

test('a frozen client is dropped within pingInterval + pingTimeout (socketio-dead-client-drop-s)', () => {
  assert.equal(result.defaultWorstCaseDropS, measuredNumber('socketio-dead-client-drop-s'));
  assert.equal(result.disconnectReason, 'ping timeout');
  assert.equal(result.clientProcessStillAlive, true, 'the client never closed its connection');
  // Not before a ping has gone unanswered for pingTimeout; not much after the bound: 300 ms of
  // timer and scheduling slack on a loaded 2-core machine.
  assert.ok(result.droppedAfterMs >= result.scaled.pingTimeoutMs, `dropped after ${result.droppedAfterMs} ms`);
  assert.ok(result.droppedAfterMs <= result.scaledBoundMs + 300, `dropped after ${result.droppedAfterMs} ms`);
});
