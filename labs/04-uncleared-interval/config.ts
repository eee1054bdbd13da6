/**
 * Tunables of the telemetry dashboard. Read from LEAKLAB_* environment variables, so that the
 * checker can change them without editing your server.ts.
 * Fixture: you do not need to change this file.
 */
import { defineTunables } from '../../kit/lab-api.ts';

export const tunables = defineTunables({
  tickMs: { env: 'LEAKLAB_TICK_MS', shipped: 100, checked: 100, about: "Milliseconds between two 'tick' messages to one dashboard." },
});

export const config = tunables.read();
