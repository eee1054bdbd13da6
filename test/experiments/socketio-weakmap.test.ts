import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, measuredNumber, runExperiment } from './run-experiment.ts';

interface Result {
  idType: string;
  idModTen: string;
  idAsWeakMapKeyError: string | null;
  clients: number;
  entriesWhileConnected: number;
  freedWhileConnected: number;
  freedAfterDisconnect: number;
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('socketio-weakmap');
});

test('socket.id is a string: % 10 is NaN and a WeakMap refuses it (socketio-id-is-string)', () => {
  assert.equal(result.idType, measured('socketio-id-is-string').value);
  assert.equal(result.idModTen, 'NaN');
  assert.equal(result.idAsWeakMapKeyError, measured('weakmap-error-text').value);
});

test('a WeakMap keyed by the socket keeps entries while connected and frees them after (weakmap-by-socket-freed)', () => {
  const clients = measuredNumber('weakmap-by-socket-freed');
  assert.equal(result.clients, clients);
  assert.equal(result.entriesWhileConnected, clients);
  assert.equal(result.freedWhileConnected, 0);
  assert.equal(result.freedAfterDisconnect, clients);
});
