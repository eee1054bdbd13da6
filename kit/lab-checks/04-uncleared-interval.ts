/**
 * Lab 04, uncleared interval: socket.io dashboards connect and disconnect. The leaky server leaves
 * one interval (holding a 10 KB reading buffer and the socket) running per connection; most of
 * those bytes live in arrayBuffers, outside heapUsed, so both are judged.
 */
import { openSocketClient, runSocketCycles } from '../load/index.ts';
import { functionalCheck, type LabCheck } from './lab-check.ts';

const TICK_MS = 100;
/** How long the functional check listens for ticks. */
const LISTEN_MS = 600;

export const unclearedIntervalCheck: LabCheck = {
  labId: '04-uncleared-interval',
  operation: 'socket.io connection',
  env: { LEAKLAB_TICK_MS: String(TICK_MS) },
  roundSize: 30,
  warmupRounds: 2,
  measuredRounds: 4,
  series: 'heapUsed + arrayBuffers',
  mechanism: [{ label: 'active timers (setInterval/setTimeout)', read: (sample) => sample.activeResources.Timeout ?? 0 }],
  // Longer than a tick: a one-shot setTimeout still pending right after a round is not a leak.
  settleMs: 2 * TICK_MS,
  runRound(ctx, n) {
    return runSocketCycles({ url: ctx.url, count: n, concurrency: 6, signal: ctx.signal, onProgress: ctx.onProgress });
  },
  async functional(ctx) {
    const ticks = await functionalCheck(`a connected dashboard receives a tick every ${TICK_MS} ms`, async () => {
      const client = await openSocketClient(ctx.url, 'tick');
      try {
        await new Promise((resolve) => setTimeout(resolve, LISTEN_MS));
      } finally {
        client.close();
      }
      const expected = LISTEN_MS / TICK_MS;
      const received = client.arrivals.length;
      // Timers drift and the first tick comes one period after connecting: accept 50%–150%.
      const passed = received >= expected * 0.5 && received <= expected * 1.5;
      return {
        passed,
        detail: `a socket.io client received ${received} 'tick' events in ${LISTEN_MS} ms; about ${expected} expected at one per ${TICK_MS} ms.`,
      };
    });
    return [ticks];
  },
};
