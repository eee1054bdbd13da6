/**
 * What the panel writes for a verdict: a server that could not run shows why and what to do, with
 * no stack trace and no figures it never measured ("0 B over 0 measured rounds"); a status the
 * checker adds later (inconclusive) still gets a badge; sizes are in the units the terminal uses.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Verdict } from '../../kit/types.ts';
import { badge, plainReason, verdictHtml } from '../../site/scripts/hub/render.ts';

const base: Verdict = {
  labId: '01-unbounded-cache',
  entry: 'workspace/01-unbounded-cache/server.ts',
  status: 'error',
  operation: 'request',
  bytesPerOp: 0,
  series: 'heapUsed',
  growthBytes: 0,
  noiseBytes: 16384,
  rounds: [],
  mechanism: [],
  functional: [],
  reasons: [
    'workspace/01-unbounded-cache/server.ts does not compile: TypeScript/JavaScript syntax error.\n    at Object.<anonymous> (/home/learner/leak-lab/node_modules/tsx/dist/loader.mjs:1:1)\n    at Module._compile (node:internal/modules/cjs/loader:1554:14)\nFix the line named above and check again.',
  ],
  next: 'npx leaklab hint 01',
  durationMs: 1200,
};

describe('verdicts in the panel', () => {
  it('a server that could not run: the reason without stack lines, no measured figures', () => {
    const html = verdictHtml(base, 'Your server');
    assert.match(html, /COULD NOT RUN/);
    assert.match(html, /does not compile/);
    assert.match(html, /Fix the line named above/);
    assert.doesNotMatch(html, /\bat Module\._compile|node_modules|loader\.mjs/);
    assert.doesNotMatch(html, /measured rounds|noise floor|0 B/);
  });

  it('a measured verdict says bytes per operation over how many operations, in IEC units', () => {
    const sample = (heapUsed: number) => ({ t: 0, afterGc: true, heapUsed, heapTotal: 0, external: 0, arrayBuffers: 0, rss: 0, oldSpaceUsed: 0, heapSizeLimit: 0, spaces: {}, activeResources: {}, gauges: {} });
    const html = verdictHtml(
      {
        ...base,
        status: 'leak',
        bytesPerOp: 1234,
        growthBytes: 3 * 1024 * 1024,
        rounds: [0, 1000, 2000, 3000].map((ops, i) => ({ ops, measured: true, sample: sample(i * 1024 * 1024) })),
        reasons: ['memory grows with every request'],
      },
      'Your server',
    );
    assert.match(html, /\+1,234 B per request over 3,000 requests \(4 measured rounds\)/);
    assert.match(html, /growth 3\.00 MiB against a noise floor of 16\.0 KiB/);
  });

  it('badges every status, including ones added later', () => {
    assert.deepEqual(['pass', 'leak', 'broken', 'error', 'inconclusive'].map(badge), ['PASS', 'LEAK', 'BROKEN', 'COULD NOT RUN', 'INCONCLUSIVE']);
  });

  it('keeps a plain message as it is', () => {
    assert.equal(plainReason('the lab process ended (SIGKILL)'), 'the lab process ended (SIGKILL)');
  });
});
