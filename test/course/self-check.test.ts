/**
 * The course self-check (after rustlings): the course is only as good as its labs. Every lab as
 * shipped must be judged a leak, every reference fix must pass, and every verifier fixture must
 * get the verdict its first line promises. The static half checks what a learner opens: a README,
 * a `// TODO:` to find, a `// Fix:` that explains, hints that say something, no stray files.
 *
 * The dynamic half runs real checks (a real server, real load, forced GCs) one after another:
 * about a minute in all on two cores.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { checkLab } from '../../kit/check.ts';
import { loadCourse } from '../../kit/manifest.ts';
import type { VerdictStatus } from '../../kit/types.ts';
import { fixtureFiles } from '../../kit/workspace.ts';
import { expectationOf, learnerFilesFor } from '../fixtures/learner-files.ts';

const course = loadCourse();
const root = course.root;
const FIXTURES = path.join(root, 'test', 'fixtures');

const read = (file: string): string => readFileSync(file, 'utf8');
const rel = (file: string): string => path.relative(root, file);
const filesIn = (dir: string): string[] => readdirSync(dir).sort();

interface Fixture {
  labId: string;
  file: string;
  expected: VerdictStatus;
}

/** Every verifier fixture with the verdict its first line promises (bad-input fixtures run as lab 01). */
function verifierFixtures(): Fixture[] {
  const fixtures: Fixture[] = course.labs.flatMap((lab) => learnerFilesFor(lab, root).map(({ labId, file, expected }) => ({ labId, file, expected })));
  for (const name of filesIn(path.join(FIXTURES, 'bad'))) {
    const file = path.join(FIXTURES, 'bad', name);
    fixtures.push({ labId: course.labs[0]!.id, file, expected: expectationOf(file).expected });
  }
  return fixtures;
}

/** Lines that appear in one file and not the other, as a multiset: a cheap size of a diff. */
function changedLines(a: string, b: string): number {
  const count = new Map<string, number>();
  for (const line of a.split('\n')) count.set(line, (count.get(line) ?? 0) + 1);
  for (const line of b.split('\n')) count.set(line, (count.get(line) ?? 0) - 1);
  let changed = 0;
  for (const n of count.values()) changed += Math.abs(n);
  return changed;
}

describe('the course as shipped (static)', () => {
  test('labs/ and solutions/ hold exactly the labs the manifest lists, and nothing else', () => {
    const ids = course.labs.map((lab) => lab.id);
    assert.deepEqual(filesIn(path.join(root, 'labs')), ['course.json', ...ids].sort());
    assert.deepEqual(filesIn(path.join(root, 'solutions')), [...ids].sort());
    assert.deepEqual(filesIn(path.join(FIXTURES, 'labs')), [...ids].sort());
  });

  for (const lab of course.labs) {
    describe(`lab ${lab.id}`, () => {
      const server = read(lab.shippedFile);
      const solution = read(lab.solutionFile);

      test('marks the spot to change with a // TODO:, and the reference fix replaces it with a // Fix:', () => {
        assert.match(server, /\/\/ TODO: \S/, `${rel(lab.shippedFile)} has no "// TODO:" for the learner to find`);
        assert.doesNotMatch(server, /\/\/ Fix:/, `${rel(lab.shippedFile)} gives the answer away with a "// Fix:"`);
        assert.match(solution, /\/\/ Fix: \S/, `${rel(lab.solutionFile)} has no "// Fix:" saying why memory is released`);
        assert.doesNotMatch(solution, /\/\/ TODO:/, `${rel(lab.solutionFile)} still has a "// TODO:"`);
      });

      test('the reference fix is the same file, changed only where the fix is', () => {
        assert.notEqual(solution, server);
        const changed = changedLines(server, solution);
        assert.ok(changed <= 30, `${rel(lab.solutionFile)} differs from the lab in ${changed} lines; keep the solution to the fix`);
      });

      test('announces itself as "Lab NN · <title> listening on http://HOST:PORT", as the CLI names it', () => {
        const line = `Lab ${lab.number} · ${lab.title} listening on http://`;
        assert.ok(server.includes(line), `${rel(lab.shippedFile)} does not print "${line}..."`);
        assert.ok(solution.includes(line), `${rel(lab.solutionFile)} does not print "${line}..."`);
      });

      test('has a README that tells the story and names the commands to run, check and get a hint', () => {
        const readme = read(lab.readme);
        assert.ok(readme.startsWith(`# Lab ${lab.number} · ${lab.title}\n`), `${rel(lab.readme)} should start with "# Lab ${lab.number} · ${lab.title}"`);
        for (const section of ['## The story', '## The symptom', '## Your task', '## Run it, check it', '## Routes']) {
          assert.ok(readme.includes(section), `${rel(lab.readme)} lacks "${section}"`);
        }
        for (const command of ['run', 'check', 'hint']) {
          assert.ok(readme.includes(`npm run leaklab -- ${command} ${lab.number}`), `${rel(lab.readme)} does not show "npm run leaklab -- ${command} ${lab.number}"`);
        }
        assert.ok(readme.includes(lab.coursePage), `${rel(lab.readme)} does not link its course page ${lab.coursePage}`);
      });

      const configFile = path.join(lab.dir, 'config.ts');
      const noConfig = !existsSync(configFile) && `${lab.id} has no config.ts: nothing to tune`;
      test('every LEAKLAB_* setting its config reads is documented in its README', { skip: noConfig }, () => {
        const settings = [...read(configFile).matchAll(/'(LEAKLAB_[A-Z_]+)'/g)].map((m) => m[1]!);
        assert.ok(settings.length > 0, `${rel(configFile)} reads no LEAKLAB_* variable`);
        for (const name of settings) assert.ok(read(lab.readme).includes(name), `${rel(lab.readme)} does not mention ${name}`);
      });

      test('the solution folder re-exports each lab fixture in one line, so both share one module', () => {
        const fixtures = fixtureFiles(lab);
        assert.deepEqual(
          filesIn(lab.dir).filter((name) => !fixtures.includes(name)),
          ['README.md', 'check.ts', 'server.ts'],
          `${rel(lab.dir)} holds a file that is neither a fixture nor README.md, check.ts or server.ts`,
        );
        const solutionDir = path.dirname(lab.solutionFile);
        assert.deepEqual(filesIn(solutionDir), ['server.ts', ...fixtures].sort(), `${rel(solutionDir)} must hold server.ts and one re-export per fixture`);
        for (const name of fixtures) {
          assert.equal(read(path.join(solutionDir, name)).trim(), `export * from '../../labs/${lab.id}/${name}';`);
        }
      });

      test('every fixture is marked as one the learner need not touch', () => {
        for (const name of fixtureFiles(lab)) {
          assert.match(read(path.join(lab.dir, name)), /Fixture: you do not need to change this file\./, `${lab.id}/${name}`);
        }
      });

      test('its hints go from a nudge to nearly the answer, none empty or repeated', () => {
        assert.ok(lab.hints.length >= 3);
        for (const hint of lab.hints) assert.ok(hint.trim().length >= 40, `a hint of ${lab.id} says too little: "${hint}"`);
        assert.equal(new Set(lab.hints).size, lab.hints.length, `${lab.id} repeats a hint`);
      });

      test('links a course page that exists on the site', () => {
        const page = path.join(root, 'site', 'content', 'docs', `${lab.coursePage.replace(/^\/|\/$/g, '')}.mdx`);
        assert.ok(existsSync(page), `${lab.coursePage} has no page at ${rel(page)}`);
      });

      test('its verifier fixtures cover other valid fixes, other leaks, and fixes that break the feature', () => {
        const dir = path.join(FIXTURES, 'labs', lab.id);
        const kinds = new Set(filesIn(dir).map((name) => expectationOf(path.join(dir, name)).expected));
        assert.deepEqual([...kinds].sort(), ['broken', 'leak', 'pass']);
        for (const name of filesIn(dir)) {
          assert.ok(statSync(path.join(dir, name)).isFile() && /\.(ts|patch)$/.test(name), `stray ${rel(path.join(dir, name))}`);
          if (name.endsWith('.patch')) continue; // a patched copy imports the lab's fixtures through re-exports
          const imports = [...read(path.join(dir, name)).matchAll(/from '(\.[^']+)'/g)].map((m) => m[1]!);
          for (const specifier of imports) {
            assert.ok(specifier.startsWith(`../../../../labs/${lab.id}/`), `${lab.id}/${name} imports ${specifier}, not its own lab's fixtures`);
          }
        }
      });
    });
  }

  test('every fixture names the verdict it expects on its first line', () => {
    const fixtures = verifierFixtures();
    assert.ok(fixtures.length >= course.labs.length * 3 + 5);
    const bad = fixtures.filter((fixture) => fixture.file.includes(`${path.sep}bad${path.sep}`));
    assert.deepEqual(
      bad.map((fixture) => path.basename(fixture.file)),
      ['blocks-event-loop.ts', 'crashes-mid-run.ts', 'does-not-compile.ts', 'never-listens.ts', 'throws-at-start.ts'],
    );
    assert.ok(bad.every((fixture) => fixture.expected === 'error'));
  });
});

describe('the course as shipped (checked under load)', () => {
  const targets: Fixture[] = [
    ...course.labs.flatMap((lab): Fixture[] => [
      { labId: lab.id, file: lab.shippedFile, expected: 'leak' },
      { labId: lab.id, file: lab.solutionFile, expected: 'pass' },
    ]),
    ...verifierFixtures(),
  ];

  // One at a time: each check measures memory, and two at once on two cores would add noise.
  for (const { labId, file, expected } of targets) {
    test(`${rel(file)} is judged "${expected}"`, async () => {
      const verdict = await checkLab({ target: { labId, entry: file } });
      assert.equal(
        verdict.status,
        expected,
        `${rel(file)}: expected ${expected}, got ${verdict.status} (${Math.round(verdict.bytesPerOp)} B per ${verdict.operation})\n${verdict.reasons.join('\n')}`,
      );
      if (expected === 'leak') assert.ok(verdict.bytesPerOp > 100, `a leak verdict should show retained bytes per ${verdict.operation}`);
      if (expected === 'pass') assert.ok(verdict.functional.length > 0 && verdict.functional.every((result) => result.passed));
    });
  }
});
