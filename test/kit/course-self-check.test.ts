/**
 * The course self-check (the rustlings habit): every lab as shipped must get a leak verdict, every
 * reference solution must pass, and every extra fixture in test/fixtures/labs/<lab>/ gets the
 * verdict its name announces: leak-*.ts → leak, fix-*.ts → pass, broken-*.ts → broken.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkLab } from '../../kit/check.ts';
import { loadCourse } from '../../kit/manifest.ts';
import type { Verdict, VerdictStatus } from '../../kit/types.ts';

const course = loadCourse();
const FIXTURES = path.join(course.root, 'test', 'fixtures', 'labs');
const EXPECTED_BY_PREFIX: Record<string, VerdictStatus> = { leak: 'leak', fix: 'pass', broken: 'broken' };

function explain(verdict: Verdict): string {
  return `${verdict.status}: ${verdict.reasons.join(' | ')}`;
}

for (const lab of course.labs) {
  describe(`lab ${lab.id}`, () => {
    it('as shipped, leaks', async () => {
      const verdict = await checkLab({ target: { labId: lab.id, entry: lab.serverFile } });
      assert.equal(verdict.status, 'leak', explain(verdict));
      assert.ok(verdict.functional.every((check) => check.passed), 'the shipped lab works, it only leaks');
    });

    it('the reference solution passes', async () => {
      const verdict = await checkLab({ target: { labId: lab.id, entry: lab.solutionFile } });
      assert.equal(verdict.status, 'pass', explain(verdict));
    });

    const dir = path.join(FIXTURES, lab.id);
    const fixtures = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.ts')).sort() : [];
    for (const name of fixtures) {
      const expected = EXPECTED_BY_PREFIX[name.split('-')[0]!];
      if (!expected) continue;
      it(`${name} → ${expected}`, async () => {
        const verdict = await checkLab({ target: { labId: lab.id, entry: path.join(dir, name) } });
        assert.equal(verdict.status, expected, explain(verdict));
      });
    }
  });
}
