/**
 * How long does socket.io keep a client that vanished without closing its connection? The server
 * pings every pingInterval and drops a client that has not answered within pingTimeout, so a
 * silent peer goes within pingInterval + pingTimeout. The defaults are read from a real server;
 * the drop is then timed with the same mechanism scaled down (intervals in hundreds of ms instead
 * of tens of seconds) against a real client process frozen with SIGSTOP.
 *
 *   node --import tsx scripts/experiments/socketio-ping.ts
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { report } from './lib/harness.ts';
import { startSocketServer } from './lib/socketio-loopback.ts';

/** Scaled-down settings for the timed run. */
const PING_INTERVAL_MS = 400;
const PING_TIMEOUT_MS = 300;

// 1. The defaults, as a server created without options holds them.
const plain = await startSocketServer();
const engineOptions = plain.io.engine.opts;
const defaults = { pingIntervalMs: Number(engineOptions.pingInterval), pingTimeoutMs: Number(engineOptions.pingTimeout) };
await plain.close();

// 2. A client that freezes right after connecting, and a server with short ping settings.
const server = await startSocketServer({ pingInterval: PING_INTERVAL_MS, pingTimeout: PING_TIMEOUT_MS });
const clientScript = fileURLToPath(new URL('./lib/frozen-client.ts', import.meta.url));
const client = spawn(process.execPath, ['--import', 'tsx', clientScript, server.url], { stdio: ['ignore', 'pipe', 'inherit'] });

try {
  const drop = await new Promise<{ reason: string; afterFreezeMs: number; tcpStillOpen: boolean }>((resolve, reject) => {
    const giveUp = setTimeout(() => reject(new Error('the frozen client was never dropped')), 10_000);
    server.io.on('connection', (socket) => {
      // Freeze the client the moment the server has it: from now on it answers nothing,
      // but the kernel keeps its TCP connection open.
      client.kill('SIGSTOP');
      const frozenAt = performance.now();
      socket.on('disconnect', (reason) => {
        clearTimeout(giveUp);
        resolve({
          reason,
          afterFreezeMs: Math.round(performance.now() - frozenAt),
          tcpStillOpen: client.exitCode === null && client.signalCode === null,
        });
      });
    });
  });
  report(
    {
      defaults,
      defaultWorstCaseDropS: (defaults.pingIntervalMs + defaults.pingTimeoutMs) / 1000,
      scaled: { pingIntervalMs: PING_INTERVAL_MS, pingTimeoutMs: PING_TIMEOUT_MS },
      scaledBoundMs: PING_INTERVAL_MS + PING_TIMEOUT_MS,
      droppedAfterMs: drop.afterFreezeMs,
      disconnectReason: drop.reason,
      clientProcessStillAlive: drop.tcpStillOpen,
    },
    `defaults ${defaults.pingIntervalMs}/${defaults.pingTimeoutMs} ms; frozen client dropped after ${drop.afterFreezeMs} ms (${drop.reason})`,
  );
} finally {
  client.kill('SIGKILL');
  await server.close();
}
