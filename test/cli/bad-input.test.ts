/**
 * Bad learner code, through the real CLI: a file that does not compile, throws at start, never
 * listens, crashes under load or blocks its event loop must give exit 2 and a message naming the
 * file and what went wrong, and leave no process behind. How soon the verdict comes is a figure
 * of the bench (scripts/bench/bad-input.ts), not a limit here: a loaded machine is slower.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { processesMentioning, ROOT, runCli, waitGone } from './cli-process.ts';

const SYNTHETIC = path.join(ROOT, 'test', 'fixtures', 'synthetic');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'leaklab-bad-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface BadCase {
  name: string;
  /** The file to check as lab 01. */
  file: () => string;
  /** What the message must say, besides the file name. */
  says: RegExp;
}

const cases: BadCase[] = [
  {
    name: 'a file that does not compile',
    // Stored as .txt so the project's type-check skips it; copied to a server.ts to be checked.
    file: () => {
      const target = path.join(scratch, 'server.ts');
      copyFileSync(path.join(SYNTHETIC, 'does-not-compile.ts.txt'), target);
      return target;
    },
    says: /does not compile[\s\S]*Expected "\}" but found "\)"/,
  },
  { name: 'a file that throws at start', file: () => path.join(SYNTHETIC, 'throws-at-start.ts'), says: /threw an error while starting[\s\S]*Unexpected end of JSON input/ },
  { name: 'a file that never listens', file: () => path.join(SYNTHETIC, 'never-listens.ts'), says: /never listened on a port/ },
  { name: 'a file that crashes under load', file: () => path.join(SYNTHETIC, 'crashes-mid-run.ts'), says: /crashed while under load[\s\S]*has no profile/ },
  { name: 'a file that blocks its event loop', file: () => path.join(SYNTHETIC, 'blocks-event-loop.ts'), says: /blocked its event loop/ },
  { name: 'a file that does not exist', file: () => path.join(scratch, 'missing.ts'), says: /does not exist/ },
];

describe('leaklab check on bad input', () => {
  for (const bad of cases) {
    it(`${bad.name}: exit 2, names the file, says why, leaves no process`, async () => {
      const file = bad.file();
      const result = await runCli(['check', '01', '--entry', file]);
      const output = result.stdout + result.stderr;
      assert.equal(result.code, 2, output);
      const shown = path.relative(ROOT, file).startsWith('..') ? file : path.relative(ROOT, file);
      assert.ok(output.includes(shown), `the message names ${shown}:\n${output}`);
      assert.match(output, bad.says);
      assert.deepEqual(await waitGone(processesMentioning(file)), [], 'no lab process outlives the checker');
    });
  }

  it('--json gives the same error as one JSON object', async () => {
    const result = await runCli(['check', '01', '--entry', path.join(SYNTHETIC, 'throws-at-start.ts'), '--json']);
    assert.equal(result.code, 2);
    const verdict = JSON.parse(result.stdout) as { status: string; reasons: string[] };
    assert.equal(verdict.status, 'error');
    assert.match(verdict.reasons[0]!, /throws-at-start\.ts threw an error while starting/);
  });
});

describe('leaklab usage errors', () => {
  it('an unknown lab exits 2 and lists how to name one', async () => {
    const result = await runCli(['check', 'no-such-lab']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no lab called "no-such-lab".*`npx leaklab list`/s);
  });

  it('an unknown command exits 2 and shows the usage', async () => {
    const result = await runCli(['frobnicate']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Unknown command "frobnicate"[\s\S]*npx leaklab check <lab>/);
  });

  it('--solution with --entry is refused', async () => {
    const result = await runCli(['check', '01', '--solution', '--entry', 'x.ts']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /either --solution or --entry/);
  });
});
