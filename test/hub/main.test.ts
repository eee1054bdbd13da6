/**
 * `npm start` (hub/main.ts) as a learner runs it: it prints its URL, says clearly when the port is
 * taken, and on SIGTERM or Ctrl-C stops every lab it started before exiting.
 * LEAKLAB_SKIP_BUILD keeps these tests from rebuilding the site (the e2e suite covers the build).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { io } from 'socket.io-client';
import { alive } from './processes.ts';
import { useScratchLearner } from './scratch.ts';

// Snapshots, progress and the learner's copies go to scratch folders, never the project's.
const scratch = useScratchLearner();
process.once('exit', () => scratch.cleanUp());

const ROOT = path.resolve(import.meta.dirname, '../..');

function listenOnFreePort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

function startMain(port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'hub/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LEAKLAB_PORT: String(port), LEAKLAB_SKIP_BUILD: '1', NODE_TEST_CONTEXT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const printed = (pattern: RegExp, ms = 20_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms:\n${output}`)), ms);
      const look = () => {
        const match = pattern.exec(output);
        if (!match) return;
        clearTimeout(timer);
        child.stdout.off('data', look);
        child.stderr.off('data', look);
        resolve(match);
      };
      child.stdout.on('data', look);
      child.stderr.on('data', look);
      look();
    });
  return { child, exited, printed, output: () => output };
}


describe('npm start (hub/main.ts)', () => {
  it('says clearly when the port is taken, and how to pick another', async () => {
    const { server, port } = await listenOnFreePort();
    try {
      const main = startMain(port);
      const { code } = await main.exited;
      assert.equal(code, 1);
      assert.match(main.output(), new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already taken`));
      assert.match(main.output(), /LEAKLAB_PORT=\d+ npm start/);
    } finally {
      server.close();
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints its URL and, on ${signal}, stops every lab it started`, { timeout: 60_000 }, async () => {
      const { server, port } = await listenOnFreePort();
      await new Promise((r) => server.close(r));
      const main = startMain(port);
      try {
        const [, url] = await main.printed(/Leak Lab hub: (http:\/\/127\.0\.0\.1:\d+)\//);
        assert.equal(url, `http://127.0.0.1:${port}`);
        const socket = io(url!, { transports: ['websocket'], reconnection: false, extraHeaders: { origin: url! } });
        const answer = await new Promise<Record<string, any>>((resolve) => socket.emit('lab:compare', { lab: '02-sse-listener' }, resolve));
        socket.close();
        assert.equal(answer.ok, true, answer.error);
        const pids: number[] = answer.states.map((s: { pid: number }) => s.pid);
        assert.ok(pids.length === 2 && pids.every(alive));
        main.child.kill(signal);
        const exit = await main.exited;
        assert.notEqual(exit.code, null, 'the hub exits by itself');
        await new Promise((r) => setTimeout(r, 200));
        assert.deepEqual(pids.filter(alive), [], 'no lab process outlives the hub');
      } finally {
        main.child.kill('SIGKILL');
      }
    });
  }
});
