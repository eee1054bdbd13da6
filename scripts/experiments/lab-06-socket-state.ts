/**
 * What lab 06's page says about its servers, measured: 300 socket.io clients, one after another,
 * connect, say hello, move their cursor once and leave, against the shipped server (which keeps
 * every presence in a Map keyed by socket.id) and the reference solution (a WeakMap keyed by the
 * socket). Post-GC heapUsed + arrayBuffers before and after give the bytes kept per connection;
 * the trail's size comes from the lab's own presence.ts.
 *
 *   node --import tsx scripts/experiments/lab-06-socket-state.ts
 */
import { io } from 'socket.io-client';
import { openPresence } from '../../labs/06-socket-state/presence.ts';
import { report } from './lib/harness.ts';
import { startLabServer, type Side } from './lib/lab-server.ts';

const LAB = '06-socket-state';
const CONNECTIONS = 300;

/** One visitor: connect, hello (wait for the colour), one cursor move, leave. */
function visit(url: string, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    socket.once('connect_error', reject);
    socket.once('connect', () => {
      socket.emit('hello', name, () => {
        socket.emit('cursor', { x: 10, y: 20 });
        socket.once('disconnect', () => resolve());
        socket.disconnect();
      });
    });
  });
}

async function measure(side: Side) {
  const server = await startLabServer(LAB, side);
  try {
    // A few visits first, so socket.io's own first-connection setup is not counted as kept per visit.
    for (let i = 0; i < 20; i++) await visit(server.url, `warm-up-${i}`);
    const before = await server.sample(true, { settleMs: 200 });
    for (let i = 0; i < CONNECTIONS; i++) await visit(server.url, `visitor-${i}`);
    const after = await server.sample(true, { settleMs: 200 });
    const kept = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    return {
      bytesPerConnection: Math.round(kept / CONNECTIONS),
      arrayBuffersBytesPerConnection: Math.round((after.arrayBuffers - before.arrayBuffers) / CONNECTIONS),
    };
  } finally {
    await server.stop();
  }
}

const trailBytes = openPresence('someone').trail.byteLength;
const lab = await measure('lab');
const solution = await measure('solution');
report(
  { connections: CONNECTIONS, trailBytes, lab, solution },
  `kept per connection: lab ${lab.bytesPerConnection} B (${lab.arrayBuffersBytesPerConnection} B in arrayBuffers), solution ${solution.bytesPerConnection} B; trail ${trailBytes} B`,
);
