/**
 * Lab 01, unbounded cache: GET /user/:id with a new id per request. The leaky server keeps every
 * record; a bounded cache (lru-cache max+ttl, node-cache stdTTL+checkperiod) stays flat once full.
 */
import { getUser } from '../../labs/01-unbounded-cache/db.ts';
import { httpRequest, runHttpLoad } from '../load/index.ts';
import { functionalCheck, type LabCheck } from './lab-check.ts';

/** A TTL short enough that a TTL-only cache (node-cache) reaches its steady size during warm-up. */
const TTL_SECONDS = 0.5;

export const unboundedCacheCheck: LabCheck = {
  labId: '01-unbounded-cache',
  operation: 'request',
  env: {
    LEAKLAB_CACHE_MAX: '200',
    LEAKLAB_CACHE_TTL_SECONDS: String(TTL_SECONDS),
    LEAKLAB_CACHE_CHECK_SECONDS: '0.1',
  },
  roundSize: 300,
  warmupRounds: 2,
  measuredRounds: 4,
  series: 'heapUsed',
  mechanism: [],
  runRound(ctx, n) {
    return runHttpLoad({
      baseUrl: ctx.url,
      count: n,
      agent: ctx.agent,
      signal: ctx.signal,
      onProgress: ctx.onProgress,
      request: () => ({ path: `/user/${ctx.uniqueId()}` }),
    });
  },
  async functional(ctx) {
    const id = `check-${ctx.uniqueId()}`;
    const dbCalls = async () => (await ctx.lab.sample(false)).gauges.dbCalls ?? Number.NaN;
    const cached = await functionalCheck('a repeated id is served from the cache', async () => {
      const before = await dbCalls();
      const first = await httpRequest(ctx.url, { path: `/user/${id}` });
      const second = await httpRequest(ctx.url, { path: `/user/${id}` });
      const calls = (await dbCalls()) - before;
      const same = first.status === 200 && second.status === 200 && first.body === second.body;
      return {
        passed: calls === 1 && same,
        detail:
          calls === 1
            ? same
              ? `two requests for /user/${id} within the TTL called the database once and returned the same record.`
              : `the second request for /user/${id} returned a different answer (${first.status} then ${second.status}).`
            : `two requests for /user/${id} within the TTL (${TTL_SECONDS} s) called the database ${calls} times; the cache should answer the second one.`,
      };
    });
    const correct = await functionalCheck('each id gets its own record', async () => {
      const ids = [`a-${ctx.uniqueId()}`, `b-${ctx.uniqueId()}`, `c-${ctx.uniqueId()}`];
      for (const other of ids) {
        const answer = await httpRequest(ctx.url, { path: `/user/${other}` });
        const expected = JSON.stringify(await getUser(other));
        if (answer.status !== 200 || answer.body !== expected) {
          return { passed: false, detail: `GET /user/${other} answered ${answer.status} with ${answer.body.slice(0, 80)}…, not that user's record.` };
        }
      }
      return { passed: true, detail: `GET /user/<id> returned the right record for ${ids.length} new ids.` };
    });
    return [cached, correct];
  },
};
