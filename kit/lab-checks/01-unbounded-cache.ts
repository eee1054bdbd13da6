/**
 * Lab 01, unbounded cache: GET /user/:id with a new id per request. The leaky server keeps every
 * record; a bounded cache (lru-cache max+ttl, node-cache stdTTL+checkperiod) stays flat once full.
 * The feature: a repeat within the TTL skips the database, a record past the TTL is read again,
 * and every id gets its own record.
 */
import { getUser } from '../../labs/01-unbounded-cache/db.ts';
import { httpRequest, runHttpLoad } from '../load/index.ts';
import { functionalCheck, type LabCheck } from './lab-check.ts';

/** A TTL short enough that a TTL-only cache (node-cache) reaches its steady size during warm-up. */
const TTL_SECONDS = 0.4;
/** How often a sweeping cache (node-cache) looks for expired records. */
const CHECK_SECONDS = 0.05;

export const unboundedCacheCheck: LabCheck = {
  labId: '01-unbounded-cache',
  operation: 'request',
  env: {
    LEAKLAB_CACHE_MAX: '200',
    LEAKLAB_CACHE_TTL_SECONDS: String(TTL_SECONDS),
    LEAKLAB_CACHE_CHECK_SECONDS: String(CHECK_SECONDS),
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
    // Start the clock for the expiry check first, so its wait overlaps the other checks.
    const staleId = `stale-${ctx.uniqueId()}`;
    const firstFetch = await httpRequest(ctx.url, { path: `/user/${staleId}` });
    const firstFetchAt = Date.now();
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
    const expires = await functionalCheck('a record older than the TTL is fetched again', async () => {
      // Past the TTL, plus margin for a cache that sweeps on a timer (node-cache's checkperiod).
      const waitMs = firstFetchAt + (TTL_SECONDS + CHECK_SECONDS) * 1000 + 100 - Date.now();
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      const before = await dbCalls();
      const again = await httpRequest(ctx.url, { path: `/user/${staleId}` });
      const calls = (await dbCalls()) - before;
      return {
        passed: firstFetch.status === 200 && again.status === 200 && calls === 1,
        detail:
          calls === 1
            ? `asked again after the TTL (${TTL_SECONDS} s), /user/${staleId} was read from the database again.`
            : `asked again after the TTL (${TTL_SECONDS} s), /user/${staleId} was served from the cache: a record must not outlive cacheTtlSeconds.`,
      };
    });
    return [cached, correct, expires];
  },
};
