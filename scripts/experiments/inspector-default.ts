/**
 * Where the inspector listens when you do not say. `node --inspect` with no address, and a running
 * process without --inspect that receives SIGUSR1, both print the address they opened on stderr
 * ("Debugger listening on ws://HOST:PORT/<id>"). Both say 127.0.0.1:9229: loopback only, so
 * reaching it from another machine takes an SSH tunnel. The SIGUSR1 target keeps running after the
 * inspector is switched on. If another process already holds the port, Node prints
 * "Starting inspector on HOST:PORT failed", which names the same default address.
 *
 *   node --import tsx scripts/experiments/inspector-default.ts
 */
import { spawn } from 'node:child_process';
import { report } from './lib/harness.ts';

/** The address in Node's inspector message, and whether it could listen there. */
function inspectorAddress(stderr: string): { address: string | null; listening: boolean } {
  const listening = /Debugger listening on ws:\/\/([^/\s]+)\//.exec(stderr);
  if (listening) return { address: listening[1]!, listening: true };
  const failed = /Starting inspector on (\S+) failed/.exec(stderr);
  return { address: failed ? failed[1]! : null, listening: false };
}

/**
 * Start `node <flags> -e <idle program>`, optionally send it `signal` once it runs, and collect its
 * stderr until the inspector has said where it is (or 10 s pass). Returns the address and whether
 * the process was still running at that point.
 */
function watchInspector(flags: string[], signal?: NodeJS.Signals): Promise<{ address: string | null; listening: boolean; stillRunning: boolean }> {
  // Prints "ready" once its code runs, then idles: a stand-in for a server.
  const child = spawn(process.execPath, [...flags, '-e', 'process.stdout.write("ready\\n"); setInterval(() => {}, 1000);'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve) => {
    let stderr = '';
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(giveUp);
      const stillRunning = child.exitCode === null && child.signalCode === null;
      child.kill('SIGKILL');
      resolve({ ...inspectorAddress(stderr), stillRunning });
    };
    const giveUp = setTimeout(finish, 10_000);
    child.stdout.setEncoding('utf8').once('data', () => {
      if (signal) child.kill(signal);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // Give the process a moment after the message, so "still running" means something.
      if (inspectorAddress(stderr).address && !finished) setTimeout(finish, 200);
    });
  });
}

const withFlag = await watchInspector(['--inspect']);
const withSignal = await watchInspector([], 'SIGUSR1');

report(
  { inspectFlag: withFlag, sigusr1: withSignal },
  `--inspect: ${withFlag.address} (listening: ${withFlag.listening}); SIGUSR1: ${withSignal.address}, still running: ${withSignal.stillRunning}`,
);
