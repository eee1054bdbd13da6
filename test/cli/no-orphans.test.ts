/**
 * No lab process outlives the CLI: not after Ctrl-C during `run` or during a `check`, and not even
 * when the CLI is killed outright (the probe leaves when its IPC channel closes).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { labProcessesOf, startCli, waitForLabProcesses, waitGone } from './cli-process.ts';

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
    const labs = labProcessesOf(cli.proc.pid!);
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
    const labs = await waitForLabProcesses(cli.proc.pid!);
    assert.ok(labs.length > 0, 'the check started a lab process');
    cli.proc.kill('SIGINT');
    const result = await cli.done;
    assert.notEqual(result.code, 0);
    assert.deepEqual(await waitGone(labs), [], 'the lab process is gone');
  });

  it('even SIGKILL of the CLI leaves no lab behind: the probe exits when its channel closes', async () => {
    const cli = startCli(['run', '02']);
    await cli.waitFor(/Listening on/);
    const labs = labProcessesOf(cli.proc.pid!);
    assert.equal(labs.length, 1);
    cli.proc.kill('SIGKILL');
    await cli.done;
    assert.deepEqual(await waitGone(labs), [], 'the lab process is gone');
  });
});
