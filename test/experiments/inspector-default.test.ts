import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { measured, runExperiment } from './run-experiment.ts';

interface Opened {
  address: string | null;
  listening: boolean;
  stillRunning: boolean;
}

interface Result {
  inspectFlag: Opened;
  sigusr1: Opened;
}

let result: Result;
before(async () => {
  result = await runExperiment<Result>('inspector-default');
});

// The address is checked even when another process on the machine holds the port: Node's failure
// message names the address it tried, which is the default under test.
test('--inspect without an address uses loopback and port 9229 (inspector-default-address)', () => {
  assert.equal(result.inspectFlag.address, measured('inspector-default-address').value);
});

test('SIGUSR1 opens the inspector on the same address and the process keeps running (inspector-sigusr1)', () => {
  assert.equal(result.sigusr1.address, measured('inspector-sigusr1').value);
  assert.equal(result.sigusr1.stillRunning, true);
});
