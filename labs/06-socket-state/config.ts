/**
 * Tunables of the live-cursor service. Read from LEAKLAB_* environment variables so that the
 * checker can change them without editing your server.ts.
 * Fixture: you do not need to change this file.
 */

import { positiveNumberFromEnv } from '../../kit/lab-config.ts';

export const config = Object.freeze({
  /** Milliseconds between two pings the server sends to each client (socket.io's default is 25000). */
  pingIntervalMs: positiveNumberFromEnv('LEAKLAB_PING_INTERVAL_MS', 10_000),
  /** Milliseconds the server waits for the answer to a ping before dropping the client (default 20000 in socket.io). */
  pingTimeoutMs: positiveNumberFromEnv('LEAKLAB_PING_TIMEOUT_MS', 5_000),
});
