/**
 * Tunables of the live-cursor service. Read from LEAKLAB_* environment variables, so that the
 * checker can shorten socket.io's heartbeat (and see a vanished client dropped within a second)
 * without editing your server.ts.
 * Fixture: you do not need to change this file.
 */
import { defineTunables } from '../../kit/lab-api.ts';

export const tunables = defineTunables({
  pingIntervalMs: { env: 'LEAKLAB_PING_INTERVAL_MS', shipped: 10_000, checked: 250, about: "Milliseconds between two pings the server sends to each client (socket.io's default is 25000)." },
  pingTimeoutMs: { env: 'LEAKLAB_PING_TIMEOUT_MS', shipped: 5_000, checked: 1_000, about: 'Milliseconds the server waits for the answer to a ping before dropping the client (socket.io’s default is 20000).' },
});

export const config = tunables.read();
