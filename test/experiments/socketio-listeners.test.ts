import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { assertNear, measured, measuredNumber, runExperiment } from './run-experiment.ts';

interface WiringResult {
  socketsFreed: number;
  retainedMiB: number;
}
interface Result {
  cycles: number;
  results: Record<string, WiringResult>;
  busListenersLeftAfterDisconnects: number;
  releasedByRemovingBusListenersMiB: number;
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('socketio-listeners');
});

/** 10% of ~77 MiB: GC timing and socket.io's buffers move the total by a few MiB at most. */
const TOLERANCE = 0.1;

test('listeners on the socket are freed with it, removeAllListeners() or not (socketio-socket-listeners-freed)', () => {
  const freed = measuredNumber('socketio-socket-listeners-freed');
  assert.equal(result.results['socket-listener']!.socketsFreed, freed);
  assert.equal(result.results['socket-listener-removeAllListeners']!.socketsFreed, freed);
  // Nothing is left behind either way: far less than one client's 1.91 MiB of state.
  assert.ok(result.results['socket-listener']!.retainedMiB < 1.5);
});

test('a listener on a long-lived emitter keeps every socket until off() (socketio-bus-listener-retained)', () => {
  const expected = measured('socketio-bus-listener-retained').value as { freed: number; retainedMiB: number };
  const bus = result.results['bus-listener']!;
  assert.equal(bus.socketsFreed, expected.freed);
  assertNear(bus.retainedMiB, expected.retainedMiB, expected.retainedMiB * TOLERANCE, 'MiB retained');
  assert.equal(result.busListenersLeftAfterDisconnects, result.cycles);
  assertNear(result.releasedByRemovingBusListenersMiB, bus.retainedMiB, bus.retainedMiB * TOLERANCE, 'MiB released by off()');
  assert.equal(result.results['bus-listener-off']!.socketsFreed, result.cycles, 'with off() on disconnect, all are freed');
});

test('state in a Map keyed by socket.id stays after disconnect (socketio-map-by-id-retained)', () => {
  const expected = measuredNumber('socketio-map-by-id-retained');
  assertNear(result.results['map-by-id']!.retainedMiB, expected, expected * TOLERANCE, 'MiB retained');
});
