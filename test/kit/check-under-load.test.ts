/**
 * A verdict on a busy machine (a shared 2-core CI runner, a laptop compiling something) must be as
 * trustworthy as on an idle one: two busy-loop processes take both cores while real checks run.
 * A leak is still called a leak; a correct fix is never called a leak or broken: it passes, or at
 * worst the checker says it could not decide (inconclusive, exit 3), never a wrong answer. How
 * much slower the checks get is the bench's figure, not this test's.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { checkLab } from '../../kit/check.ts';
import { findLab, loadCourse } from '../../kit/manifest.ts';

const course = loadCourse();
let hogs: ChildProcess[] = [];

before(() => {
  hogs = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
});

after(() => {
  for (const hog of hogs) hog.kill('SIGKILL');
});

describe('checks with both cores taken by busy loops', () => {
  for (const name of ['01', '06']) {
    const lab = findLab(course, name);

    it(`lab ${lab.number} as shipped is still a leak`, async () => {
      const verdict = await checkLab({ target: { labId: lab.id, entry: lab.shippedFile } });
      assert.equal(verdict.status, 'leak', verdict.reasons.join('\n'));
    });

    it(`lab ${lab.number}'s reference fix is never called a leak or broken`, async () => {
      const verdict = await checkLab({ target: { labId: lab.id, entry: lab.solutionFile } });
      assert.ok(['pass', 'inconclusive'].includes(verdict.status), `${verdict.status}:\n${verdict.reasons.join('\n')}`);
    });
  }
});
