/**
 * Lab 02, SSE listener: clients connect to GET /events, read the first bytes and leave. The leaky
 * server leaves one 'update' listener (holding the response) on the bus per connection.
 */
import { httpRequest, openSseClient, runSseCycles, type SseClient } from '../load/index.ts';
import { functionalCheck, type LabCheck } from './lab-check.ts';

const CLIENTS = 3;

export const sseListenerCheck: LabCheck = {
  labId: '02-sse-listener',
  operation: 'SSE connection',
  env: {},
  roundSize: 60,
  warmupRounds: 2,
  measuredRounds: 4,
  series: 'heapUsed',
  mechanism: [{ label: "'update' listeners on the bus", read: (sample) => sample.gauges.busListeners ?? Number.NaN }],
  runRound(ctx, n) {
    return runSseCycles({ baseUrl: ctx.url, count: n, concurrency: 10, signal: ctx.signal, onProgress: ctx.onProgress });
  },
  async functional(ctx) {
    const delivered = await functionalCheck(`${CLIENTS} connected clients all receive a published update`, async () => {
      const clients: SseClient[] = [];
      try {
        for (let i = 0; i < CLIENTS; i++) clients.push(await openSseClient(ctx.url));
        const update = { order: `LL-${ctx.uniqueId()}`, status: 'shipped' };
        const published = await httpRequest(ctx.url, { method: 'POST', path: '/publish', body: update });
        const expected = JSON.stringify(update);
        const received = await Promise.all(clients.map(async (client) => (await client.waitForEvents(1, 2000)) && client.events.includes(expected)));
        const count = received.filter(Boolean).length;
        return {
          passed: published.status < 300 && count === CLIENTS,
          detail:
            count === CLIENTS
              ? `POST /publish ${expected} reached all ${CLIENTS} open /events streams as "data: ${expected}".`
              : `POST /publish answered ${published.status}; only ${count} of ${CLIENTS} open /events streams received "data: ${expected}" within 2 s.`,
        };
      } finally {
        for (const client of clients) client.close();
      }
    });
    return [delivered];
  },
};
