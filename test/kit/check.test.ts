/**
 * checkLab end to end on the synthetic servers (the two cases the checker must always tell
 * apart), plus the paths that must never throw: an unknown lab and a cancelled check.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkLab } from '../../kit/check.ts';
import { syntheticCheck } from '../../kit/lab-checks/synthetic.ts';

const SYNTHETIC = path.resolve(import.meta.dirname, '..', 'fixtures', 'synthetic');

function processesMentioning(text: string): string[] {
  return execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

describe('checkLab on synthetic servers', () => {
  it('a server keeping ~200 bytes per request is a leak, with the evidence', async () => {
    const verdict = await checkLab({ target: { labId: 'synthetic', entry: path.join(SYNTHETIC, 'retain-200-bytes.ts') }, check: syntheticCheck });
    assert.equal(verdict.status, 'leak', verdict.reasons.join('\n'));
    assert.ok(verdict.bytesPerOp > 150 && verdict.bytesPerOp < 1000, `${verdict.bytesPerOp} B/op`);
    assert.ok(verdict.growthBytes > 5 * verdict.noiseBytes);
    assert.equal(verdict.rounds.filter((r) => r.measured).length, syntheticCheck.measuredRounds + 1);
    assert.ok(verdict.rounds.every((r) => r.sample.afterGc));
    assert.ok(verdict.durationMs < 10_000);
  });

  it('the same server keeping nothing passes', async () => {
    const rounds: number[] = [];
    const verdict = await checkLab({
      target: { labId: 'synthetic', entry: path.join(SYNTHETIC, 'no-leak.ts') },
      check: syntheticCheck,
      onRound: (round) => rounds.push(round.ops),
    });
    assert.equal(verdict.status, 'pass', verdict.reasons.join('\n'));
    assert.ok(Math.abs(verdict.bytesPerOp) < 100);
    assert.deepEqual(rounds, verdict.rounds.map((r) => r.ops), 'onRound saw every round');
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
