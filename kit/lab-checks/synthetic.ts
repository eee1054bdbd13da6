/**
 * Not a lab: the check used for the checker's own synthetic servers (test/fixtures/synthetic), which
 * answer GET /item/:id. The bench runs it on a server retaining ~200 bytes per request and on a
 * no-leak baseline, the two cases the checker must always tell apart.
 */
import { httpRequest, runHttpLoad } from '../load/index.ts';
import { functionalCheck, type LabCheck } from './lab-check.ts';

export const SYNTHETIC_LAB_ID = 'synthetic';

export const syntheticCheck: LabCheck = {
  labId: SYNTHETIC_LAB_ID,
  operation: 'request',
  env: {},
  // The 200 B/request case is the checker's hardest: post-GC heapUsed here still jumps by one-off
  // ~100–300 KB steps (V8's own, in leaky and fixed servers alike), so the window must be long
  // enough for ~230 B/request to clear 5× that noise: 5 measured rounds of 800 requests (4,000).
  // A longer warm-up keeps the first blips out of the window. The labs leak ≥ 1.2 KB per operation
  // and use shorter windows.
  roundSize: 800,
  warmupRounds: 3,
  measuredRounds: 5,
  series: 'heapUsed',
  mechanism: [],
  runRound(ctx, n) {
    return runHttpLoad({
      baseUrl: ctx.url,
      count: n,
      agent: ctx.agent,
      signal: ctx.signal,
      onProgress: ctx.onProgress,
      request: () => ({ path: `/item/${ctx.uniqueId()}` }),
    });
  },
  async functional(ctx) {
    return [
      await functionalCheck('GET /item/:id answers', async () => {
        const answer = await httpRequest(ctx.url, { path: '/item/probe' });
        return { passed: answer.status === 200, detail: `GET /item/probe answered ${answer.status}.` };
      }),
    ];
  },
};
