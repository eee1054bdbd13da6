import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { PROJECT_ROOT, measured, measuredNumber, runExperiment } from './run-experiment.ts';

interface Result {
  onFatalError: {
    exitSignal: string | null;
    written: boolean;
    event: string | null;
    trigger: string | null;
    heapSpaces: number;
    hasEnvironment: boolean;
    fileKiB: number | null;
    mode: string | null;
  };
  onSignal: { written: boolean; answeredAfter: boolean };
  missingDirectory: { message: boolean; answeredAfter: boolean; folderCreated: boolean };
  writeMs: number;
}

let result: Result;

before(async () => {
  result = await runExperiment<Result>('diagnostic-report');
});

test('an out-of-memory crash writes a report before the process dies (report-on-fatalerror)', () => {
  const { onFatalError } = result;
  assert.equal(onFatalError.exitSignal, 'SIGABRT');
  assert.equal(onFatalError.written, true);
  assert.equal(onFatalError.event, measured('report-on-fatalerror').value);
  assert.ok(onFatalError.heapSpaces >= 8, `${onFatalError.heapSpaces} heap spaces listed`);
});

test('SIGUSR2 writes one from a running server, which goes on (report-on-signal)', () => {
  assert.deepEqual(result.onSignal, { written: measured('report-on-signal').value, answeredAfter: true });
});

test('the report holds the environment and is readable by everyone (report-file-contents)', () => {
  assert.equal(result.onFatalError.hasEnvironment, true);
  assert.equal(result.onFatalError.mode, measured('report-file-contents').value);
});

test('a missing --report-directory gives a message and no crash (report-missing-directory)', () => {
  const expected = measured('report-missing-directory').value;
  assert.equal(result.missingDirectory.message, expected);
  assert.equal(result.missingDirectory.answeredAfter, expected);
  assert.equal(result.missingDirectory.folderCreated, false);
});

test('a report is cheap (report-write-ms)', () => {
  assert.ok(result.writeMs < measuredNumber('report-write-ms'), `${result.writeMs} ms`);
  assert.ok((result.onFatalError.fileKiB ?? Infinity) < 200, `${result.onFatalError.fileKiB} KiB`);
});

test('the experiment removes the files it wrote', () => {
  const left = readdirSync(join(PROJECT_ROOT, 'output', 'experiments')).filter((name) => name.startsWith('diagnostic-report-'));
  assert.deepEqual(left, []);
});
