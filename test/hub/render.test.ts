/**
 * What the panel writes for a verdict: a server that could not run shows why and what to do, with
 * no stack trace and no figures it never measured; a measured verdict shows the checker's own
 * sentences and its counters; every status gets a badge, one added later too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProbeSample, Verdict } from '../../kit/types.ts';
import { badge, plainReason, verdictHtml } from '../../site/scripts/hub/render.ts';

const base: Verdict = {
  labId: '01-unbounded-cache',
  entry: 'workspace/01-unbounded-cache/server.ts',
  status: 'error',
  operation: 'request',
  bytesPerOp: 0,
  marginPerOp: Number.POSITIVE_INFINITY,
  series: 'heap objects',
  windowOps: 0,
  growthBytes: 0,
  noiseBytes: 0,
  rounds: [],
  mechanism: [{ label: 'database calls', before: 0, after: 0, perOp: 0, leaking: false }],
  functional: [],
  findings: [],
  reasons: [
    'workspace/01-unbounded-cache/server.ts does not compile: TypeScript/JavaScript syntax error.\n    at Object.<anonymous> (/home/learner/leak-lab/node_modules/tsx/dist/loader.mjs:1:1)\n    at Module._compile (node:internal/modules/cjs/loader:1554:14)\nFix the line named above and check again.',
  ],
  next: 'Fix what the message above names, then check again.',
  durationMs: 1200,
};

const sample = (heapUsed: number): ProbeSample => ({
  t: 0,
  afterGc: true,
  heapUsed,
  heapTotal: 0,
  external: 0,
  arrayBuffers: 0,
  rss: 0,
  heapSizeLimit: 0,
  spaces: {},
  activeResources: {},
  gauges: {},
  gaugeLabels: {},
});

describe('verdicts in the panel', () => {
  it('a server that could not run: the reason without stack lines, and no table of what was never measured', () => {
    const html = verdictHtml(base, 'Your server');
    assert.match(html, /ERROR/);
    assert.match(html, /does not compile/);
    assert.match(html, /Fix the line named above/);
    assert.doesNotMatch(html, /\bat Module\._compile|node_modules|loader\.mjs/);
    assert.doesNotMatch(html, /<table>|database calls|0 B/);
  });

  it('a measured verdict: the checker\'s sentences and its counters', () => {
    const html = verdictHtml(
      {
        ...base,
        status: 'leak',
        rounds: [0, 1000, 2000].map((ops, i) => ({ ops, measured: true, sample: sample(i * 1024 * 1024) })),
        mechanism: [{ label: 'database calls', before: 10, after: 2010, perOp: 1, leaking: true }],
        reasons: ['Post-GC heap objects changed by 1.0 KiB ± 40 B per request.'],
        next: 'Stuck? Run `npx leaklab hint 01` for a hint.',
      },
      'Your server',
    );
    assert.match(html, /LEAK/);
    assert.match(html, /1\.0 KiB ± 40 B per request/);
    assert.match(html, /<td>database calls ⚠<\/td><td>10<\/td><td>2,010<\/td>/);
    assert.match(html, /Next: Stuck\? Run `npx leaklab hint 01`/);
  });

  it('badges every status, including one added later', () => {
    assert.deepEqual(['pass', 'leak', 'broken', 'error', 'inconclusive', 'someday'].map(badge), ['PASS', 'LEAK', 'BROKEN', 'ERROR', 'INCONCLUSIVE', 'SOMEDAY']);
  });

  it('keeps a plain message as it is', () => {
    assert.equal(plainReason('the lab process ended (SIGKILL)'), 'the lab process ended (SIGKILL)');
  });
});
