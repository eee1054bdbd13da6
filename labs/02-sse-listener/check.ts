/**
 * Lab 02's check plan. The unit of load is one SSE connection to GET /events, left in one of three
 * ways: before the first byte, right after the `: connected` line, or (one in six) after an update
 * arrived (the load publishes an update every few connections). Three dashboards open before the load and
 * stay open through all of it: every update published during the check must reach each of them,
 * once and in order (a "fix" that keeps only the newest listeners silently drops them). The leaky
 * server leaves one 'update' listener, holding its response, on the bus per connection.
 */
import { functionalCheck, type LabCheck, type LabContext, type LabRun } from '../../kit/check-plan.ts';
import { httpRequest, leaveBeforeFirstByte, openSseClient, runCounted, type SseClient } from '../../kit/load/index.ts';

/** Dashboards open before the load and kept open through it. */
const LONG_LIVED = 3;
/** Clients the check after the load opens, to see new streams work too. */
const FRESH = 3;
/** One update published per this many connections of the load. */
const PUBLISH_EVERY = 10;
/** How long a client that waits for an update stays at most. */
const UPDATE_WAIT_MS = 400;

async function startRun(ctx: LabContext): Promise<LabRun> {
  const published: string[] = [];
  const publishFailures: string[] = [];
  const longLived: SseClient[] = [];
  for (let i = 0; i < LONG_LIVED; i++) longLived.push(await openSseClient(ctx.url));
  let sent = 0;

  // One publish at a time, so the order recorded here is the order the server sent them in.
  let publishing: Promise<void> = Promise.resolve();
  const publish = () => {
    publishing = publishing.then(async () => {
      const update = { order: `LL-${ctx.uniqueId()}`, status: ['packed', 'shipped', 'delivered'][published.length % 3] };
      try {
        const answer = await httpRequest(ctx.url, { method: 'POST', path: '/publish', body: update }, { agent: ctx.agent });
        if (answer.status >= 300) publishFailures.push(`POST /publish answered ${answer.status} ${answer.body.slice(0, 60)}`);
        else published.push(JSON.stringify(update));
      } catch (error) {
        publishFailures.push(`POST /publish failed: ${(error as Error).message}`);
      }
    });
    return publishing;
  };

  const round = (n: number) =>
    runCounted({ count: n, concurrency: 10, signal: ctx.signal, onProgress: ctx.onProgress }, async () => {
      const number = sent++;
      if (number % PUBLISH_EVERY === 0) await publish();
      if (number % 3 === 0) return leaveBeforeFirstByte(ctx.url);
      const client = await openSseClient(ctx.url);
      if (number % 6 === 2) {
        // Stay until one more update arrives (published by this same load), then leave. A server
        // that never sends one costs this client at most UPDATE_WAIT_MS.
        const seen = client.events.length;
        if (number % PUBLISH_EVERY !== 0) void publish();
        await client.waitForEvents(seen + 1, UPDATE_WAIT_MS);
      }
      client.close();
    });

  const verify = async () => {
    const early = await functionalCheck(`${LONG_LIVED} dashboards open since before the load received every update published during it, once and in order`, async () => {
      // One last update, so that a stream which went quiet after its first event shows it.
      await publish();
      await Promise.all(longLived.map((client) => client.waitForEvents(published.length, 2000)));
      if (publishFailures.length > 0) return { passed: false, detail: `${publishFailures.length} updates could not be published; the first: ${publishFailures[0]}.` };
      const problems = longLived.map((client, i) => {
        const missing = published.filter((update) => !client.events.includes(update)).length;
        const inOrder = client.events.filter((event) => published.includes(event)).join('\n') === published.join('\n');
        return missing > 0 ? `dashboard ${i + 1} missed ${missing} of ${published.length}` : inOrder ? '' : `dashboard ${i + 1} got them out of order or twice`;
      });
      const broken = problems.filter(Boolean);
      return {
        passed: broken.length === 0,
        detail:
          broken.length === 0
            ? `${published.length} updates published while ${sent} other clients came and went reached all ${LONG_LIVED} early dashboards.`
            : `early dashboards stopped receiving updates while others came and went: ${broken.join('; ')} (received ${longLived.map((c) => c.events.length).join(', ')}).`,
      };
    });
    const fresh = await functionalCheck(`${FRESH} newly connected clients all receive every published update`, async () => {
      const clients: SseClient[] = [];
      try {
        for (let i = 0; i < FRESH; i++) clients.push(await openSseClient(ctx.url));
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
          passed: published && count === FRESH,
          detail:
            count === FRESH
              ? `${updates.length} updates sent with POST /publish reached all ${FRESH} new /events streams as "data: <json>".`
              : `POST /publish answered ${statuses.join(' and ')}; only ${count} of ${FRESH} new /events streams received both updates within 2 s ` +
                `(received: ${clients.map((client) => client.events.length).join(', ')}).`,
        };
      } finally {
        for (const client of clients) client.close();
      }
    });
    return [early, fresh];
  };

  return { round, verify, close: () => longLived.forEach((client) => client.close()) };
}

const check: LabCheck = {
  env: {},
  // A kept response with its request and socket is several KiB; 90 connections a round also make
  // a 200 B leak 18 KiB a round, well above the round-to-round wobble.
  roundSize: 90,
  series: 'heap objects',
  counters: [{ label: "'update' listeners on the bus", read: (sample) => sample.gauges.busListeners ?? Number.NaN }],
  recognise: { event: 'request', method: 'GET', path: '^/events' },
  start: startRun,
};

export default check;
