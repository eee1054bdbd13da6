/**
 * checkLab end to end on the synthetic servers (the two cases the checker must always tell
 * apart), plus the paths that must never throw: an unknown lab and a cancelled check. How fast a
 * check answers is the bench's business (npm run bench), not a test's.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { withDefaults } from '../../kit/check-plan.ts';
import { checkLab } from '../../kit/check.ts';
import { EXIT_CODE } from '../../kit/types.ts';
import { MIN_INCREMENTS } from '../../kit/verdict/index.ts';
import syntheticCheck from '../fixtures/synthetic/check.ts';

const SYNTHETIC = path.resolve(import.meta.dirname, '..', 'fixtures', 'synthetic');

function processesMentioning(text: string): string[] {
  return execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

describe('checkLab on synthetic servers', () => {
  it('a server keeping ~200 bytes per request is a leak, with the evidence', async () => {
    const verdict = await checkLab({ target: { labId: 'synthetic', entry: path.join(SYNTHETIC, 'retain-200-bytes.ts') }, check: syntheticCheck, operation: 'request' });
    assert.equal(verdict.status, 'leak', verdict.reasons.join('\n'));
    // ~230 B: a 200-character string, its header and the array slot that keeps it.
    assert.ok(verdict.bytesPerOp > 150 && verdict.bytesPerOp < 1000, `${verdict.bytesPerOp} B/op`);
    assert.ok(verdict.bytesPerOp - verdict.marginPerOp > 100, `${verdict.bytesPerOp} ± ${verdict.marginPerOp} B/op is confidently above what a fix keeps`);
    assert.match(verdict.reasons[0]!, /per request .*more than any correct fix keeps/);
    const measured = verdict.rounds.filter((r) => r.measured).length;
    assert.ok(measured >= MIN_INCREMENTS + 1 && measured <= withDefaults(syntheticCheck).maxRounds + 1, `${measured} measured samples`);
    assert.ok(verdict.rounds.every((r) => r.sample.afterGc));
    assert.equal(EXIT_CODE[verdict.status], 1);
  });

  it('the same server keeping nothing passes', async () => {
    const rounds: number[] = [];
    const verdict = await checkLab({
      target: { labId: 'synthetic', entry: path.join(SYNTHETIC, 'no-leak.ts') },
      check: syntheticCheck,
      operation: 'request',
      onRound: (round) => rounds.push(round.ops),
    });
    assert.equal(verdict.status, 'pass', verdict.reasons.join('\n'));
    assert.ok(Math.abs(verdict.bytesPerOp) < 100, `${verdict.bytesPerOp} B/op`);
    assert.match(verdict.reasons[0]!, /Flat/);
    assert.deepEqual(rounds, verdict.rounds.map((r) => r.ops), 'onRound saw every round');
  });

  it('memory held while requests come and dropped when they stop passes, after a second look', async () => {
    const stages: string[] = [];
    const verdict = await checkLab({
      target: { labId: 'synthetic', entry: path.join(SYNTHETIC, 'holds-while-busy.ts') },
      check: syntheticCheck,
      operation: 'request',
      onStage: (stage) => stages.push(stage),
    });
    assert.equal(verdict.status, 'pass', verdict.reasons.join('\n'));
    assert.match(verdict.reasons[0]!, /grew by .* and came back .*, and again after another [\d,]+ requests/);
    assert.deepEqual(stages, ['trying the features', 'reading memory after the load', 'memory came back; the same load again, to see it come back twice']);
  });

  it('a leak hidden behind memory that is dropped when the load stops is still a leak', async () => {
    const verdict = await checkLab({
      target: { labId: 'synthetic', entry: path.join(SYNTHETIC, 'holds-while-busy.ts') },
      check: syntheticCheck,
      operation: 'request',
      env: { ALSO_KEEP: '1' },
    });
    assert.equal(verdict.status, 'leak', verdict.reasons.join('\n'));
  });
});

describe('checkLab never throws for what it runs', () => {
  it('an unknown lab id is an error verdict', async () => {
    const verdict = await checkLab({ target: { labId: '99-nothing', entry: path.join(SYNTHETIC, 'no-leak.ts') } });
    assert.equal(verdict.status, 'error');
    assert.match(verdict.reasons[0]!, /no lab called "99-nothing"/);
  });

  it('a cancelled check is an error verdict and its server is gone', async () => {
    const controller = new AbortController();
    const entry = path.join(SYNTHETIC, 'retain-200-bytes.ts');
    const checking = checkLab({
      target: { labId: 'synthetic', entry },
      check: syntheticCheck,
      signal: controller.signal,
      onRound: () => controller.abort(),
    });
    const verdict = await checking;
    assert.equal(verdict.status, 'error');
    assert.match(verdict.reasons[0]!, /cancelled/);
    assert.deepEqual(processesMentioning(entry), []);
  });
});
