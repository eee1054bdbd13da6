import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { assertNear, measuredNumber, measuredRange, runExperiment } from './run-experiment.ts';

interface Result {
  handlers: number;
  handlerMiB: number;
  suspended: { unreachablePendingMiB: number; resolverKeptMiB: number };
  race: { iterations: number; raceBytesPerIteration: number; plainBytesPerIteration: number };
  asyncLocalStorage: { timerInsideRunMiB: number; timerInsideExitMiB: number };
}

let result: Result;

before(async () => {
  result = await runExperiment<Result>('promise-retention');
});

test('a handler suspended on a promise nobody can reach is collected (suspended-async-unreachable)', () => {
  assertNear(result.suspended.unreachablePendingMiB, measuredNumber('suspended-async-unreachable'), 0.5, 'MiB kept');
});

test('the same handlers stay while the resolve functions are kept (suspended-async-resolver-kept)', () => {
  assertNear(result.suspended.resolverKeptMiB, measuredNumber('suspended-async-resolver-kept'), 2, 'MiB kept');
  assertNear(result.suspended.resolverKeptMiB, result.handlers * result.handlerMiB, 2, 'one big local per handler');
});

test('Promise.race against a long-lived promise keeps something per iteration (promise-race-per-iteration)', () => {
  const [low, high] = measuredRange('promise-race-per-iteration');
  assert.ok(result.race.raceBytesPerIteration >= low && result.race.raceBytesPerIteration <= high, `${result.race.raceBytesPerIteration} B per iteration`);
  assert.ok(Math.abs(result.race.plainBytesPerIteration) < 10, `without the race: ${result.race.plainBytesPerIteration} B per iteration`);
});

test('a timer started inside AsyncLocalStorage.run keeps the store (als-timer-keeps-store)', () => {
  assertNear(result.asyncLocalStorage.timerInsideRunMiB, measuredNumber('als-timer-keeps-store'), 2, 'MiB kept');
});

test('started inside exit, it keeps none (als-exit-keeps-nothing)', () => {
  assertNear(result.asyncLocalStorage.timerInsideExitMiB, measuredNumber('als-exit-keeps-nothing'), 0.5, 'MiB kept');
});
