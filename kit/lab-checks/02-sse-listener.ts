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
    const delivered = await functionalCheck(`${CLIENTS} connected clients all receive every published update`, async () => {
      const clients: SseClient[] = [];
      try {
        for (let i = 0; i < CLIENTS; i++) clients.push(await openSseClient(ctx.url));
        // Two updates, not one: a stream must stay live, not go quiet after its first event.
        const updates = [
          { order: `LL-${ctx.uniqueId()}`, status: 'packed' },
          { order: `LL-${ctx.uniqueId()}`, status: 'shipped' },
        ];
        const statuses: number[] = [];
        for (const update of updates) statuses.push((await httpRequest(ctx.url, { method: 'POST', path: '/publish', body: update })).status);
        const expected = updates.map((update) => JSON.stringify(update));
        const received = await Promise.all(
          clients.map(async (client) => (await client.waitForEvents(updates.length, 2000)) && expected.every((data) => client.events.includes(data))),
        );
        const count = received.filter(Boolean).length;
        const published = statuses.every((status) => status < 300);
        return {
          passed: published && count === CLIENTS,
          detail:
            count === CLIENTS
              ? `${updates.length} updates sent with POST /publish reached all ${CLIENTS} open /events streams as "data: <json>".`
              : `POST /publish answered ${statuses.join(' and ')}; only ${count} of ${CLIENTS} open /events streams received both updates within 2 s ` +
                `(received: ${clients.map((client) => client.events.length).join(', ')}).`,
        };
      } finally {
        for (const client of clients) client.close();
      }
    });
    return [delivered];
  },
};
