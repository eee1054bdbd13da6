/**
 * Lab 03, closure capture: POST /prices/refresh loads a new ~40 KB price table. The leaky server
 * keeps every previous table alive through a closure context shared with the live `lookup`.
 */
import { priceAt, SKU_COUNT, skuAt } from '../../labs/03-closure-capture/catalog.ts';
import { httpRequest, runHttpLoad } from '../load/index.ts';
import { functionalCheck, type LabCheck } from './lab-check.ts';

interface RefreshAnswer {
  version: number;
  changed: number;
}

/** How many products cost something different in `version` than in the version before. */
function expectedChanges(version: number): number {
  let changed = 0;
  for (let i = 0; i < SKU_COUNT; i++) if (priceAt(version, i) !== priceAt(version - 1, i)) changed += 1;
  return changed;
}

export const closureCaptureCheck: LabCheck = {
  labId: '03-closure-capture',
  operation: 'price refresh',
  env: {},
  roundSize: 20,
  warmupRounds: 2,
  measuredRounds: 4,
  series: 'heapUsed',
  mechanism: [],
  runRound(ctx, n) {
    // One at a time, as the nightly job would: each refresh builds on the version before it.
    return runHttpLoad({
      baseUrl: ctx.url,
      count: n,
      concurrency: 1,
      agent: ctx.agent,
      signal: ctx.signal,
      onProgress: ctx.onProgress,
      request: () => ({ method: 'POST', path: '/prices/refresh' }),
    });
  },
  async functional(ctx) {
    let refreshed: RefreshAnswer | undefined;
    const refresh = await functionalCheck('a refresh loads the next price table and counts the changes', async () => {
      const answer = await httpRequest(ctx.url, { method: 'POST', path: '/prices/refresh' });
      refreshed = JSON.parse(answer.body) as RefreshAnswer;
      const expected = expectedChanges(refreshed.version);
      return {
        passed: answer.status === 200 && refreshed.changed === expected,
        detail:
          refreshed.changed === expected
            ? `POST /prices/refresh answered version ${refreshed.version} with ${expected} changed prices, as the feed says.`
            : `POST /prices/refresh answered ${answer.status} ${answer.body.slice(0, 80)}; version ${refreshed.version} should report ${expected} changed prices.`,
      };
    });
    const prices = await functionalCheck('prices come from the newest table', async () => {
      const version = refreshed?.version ?? Number.NaN;
      const summary = JSON.parse((await httpRequest(ctx.url, { path: '/prices' })).body) as { version: number; skus: number };
      if (summary.version !== version || summary.skus !== SKU_COUNT) {
        return { passed: false, detail: `GET /prices answered version ${summary.version} with ${summary.skus} SKUs; expected version ${version} with ${SKU_COUNT}.` };
      }
      for (const index of [0, 7, 123, SKU_COUNT - 1]) {
        const sku = skuAt(index);
        const answer = await httpRequest(ctx.url, { path: `/prices/${sku}` });
        const body = JSON.parse(answer.body) as { sku: string; price: number; version: number };
        const expected = priceAt(version, index);
        if (answer.status !== 200 || body.price !== expected || body.version !== version) {
          return { passed: false, detail: `GET /prices/${sku} answered ${answer.body.slice(0, 80)}; version ${version} prices it at ${expected}.` };
        }
      }
      return { passed: true, detail: `GET /prices and GET /prices/<sku> answered version ${version}'s prices for 4 SKUs.` };
    });
    return [refresh, prices];
  },
};
