/**
 * Not a lab: the check used for the checker's own synthetic servers (test/fixtures/synthetic), which
 * answer GET /item/:id. The bench runs it on a server retaining ~200 bytes per request and on a
 * no-leak baseline, the two cases FACTS.md says must always be told apart.
 */
import { httpRequest, runHttpLoad } from '../load/index.ts';
import { functionalCheck, type LabCheck } from './lab-check.ts';

export const SYNTHETIC_LAB_ID = 'synthetic';

export const syntheticCheck: LabCheck = {
  labId: SYNTHETIC_LAB_ID,
  operation: 'request',
  env: {},
  // The 200 B/request case is the checker's hardest: a longer warm-up keeps V8's one-off ~130 KB
  // blip out of the window, and a fifth measured round gives the slope room above the noise.
  roundSize: 400,
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
