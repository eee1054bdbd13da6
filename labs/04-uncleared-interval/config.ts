/**
 * Tunables of the telemetry dashboard. Read from LEAKLAB_* environment variables, so that the
 * checker can change them without editing your server.ts.
 * Fixture: you do not need to change this file.
 */
import { defineTunables } from '../../kit/lab-api.ts';

export const tunables = defineTunables({
  // Checked four times faster than shipped: a timer that stops itself after some number of ticks
  // shows it within the check's few seconds (after 100 ticks: 2.5 s checked, 10 s shipped).
  tickMs: { env: 'LEAKLAB_TICK_MS', shipped: 100, checked: 25, about: "Milliseconds between two 'tick' messages to one dashboard." },
});

export const config = tunables.read();
