/**
 * No lab process outlives the CLI: not after Ctrl-C during `run` or during a `check`, and not even
 * when the CLI is killed outright (the probe leaves when its IPC channel closes).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { childrenOf, startCli, waitForChildren, waitGone } from './cli-process.ts';

/** The command line of process `pid` ('' once it is gone). */
function commandOf(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get(`${url}/prices`, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      })
      .on('error', () => resolve(false));
  });
}

describe('no orphan lab processes', () => {
  it('Ctrl-C during `leaklab run` stops the lab server and exits', async () => {
    const cli = startCli(['run', '03']);
    const [, url] = (await cli.waitFor(/Listening on (http:\/\/127\.0\.0\.1:\d+)/)) as unknown as [string, string];
    assert.equal(await answers(url), true, 'the lab answers while running');
    await cli.waitFor(/heapUsed/); // the live readout is running
    const labs = childrenOf(cli.proc.pid!).filter((pid) => commandOf(pid).includes('probe.ts'));
    assert.equal(labs.length, 1, 'one lab process');
    cli.proc.kill('SIGINT');
    const result = await cli.done;
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await waitGone(labs), [], 'the lab process is gone');
    assert.equal(await answers(url), false, 'nothing answers on its port any more');
  });

  it('Ctrl-C in the middle of `leaklab check` stops the lab server too', async () => {
    const cli = startCli(['check', '02', '--solution']);
    await cli.waitFor(/Checking/);
    const labs = await waitForChildren(cli.proc.pid!);
    assert.ok(labs.length > 0, 'the check started a lab process');
    cli.proc.kill('SIGINT');
    const result = await cli.done;
    assert.notEqual(result.code, 0);
    assert.deepEqual(await waitGone(labs), [], 'the lab process is gone');
  });

  it('even SIGKILL of the CLI leaves no lab behind: the probe exits when its channel closes', async () => {
    const cli = startCli(['run', '02']);
    try {
      await cli.waitFor(/Listening on/);
    } catch (error) {
      cli.proc.kill('SIGKILL');
      throw error;
    }
    // The lab is the child running the probe (tsx may run an esbuild service beside it).
    const labs = childrenOf(cli.proc.pid!).filter((pid) => commandOf(pid).includes('probe.ts'));
    cli.proc.kill('SIGKILL');
    await cli.done;
    assert.equal(labs.length, 1, 'one lab process was running');
    assert.deepEqual(await waitGone(labs), [], 'the lab process is gone');
  });
});
