/**
 * Tunables of the telemetry dashboard. Read from LEAKLAB_* environment variables so that the
 * checker can change them without editing your server.ts.
 * Fixture: you do not need to change this file.
 */

import { positiveNumberFromEnv } from '../../kit/lab-config.ts';

export const config = Object.freeze({
  /** Milliseconds between two 'tick' messages to one dashboard. */
  tickMs: positiveNumberFromEnv('LEAKLAB_TICK_MS', 100),
});
