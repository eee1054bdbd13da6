/**
 * `npm test` finds a missing prerequisite in its first stage, before any suite runs, and says what
 * to do: a LEAKLAB_CHROMIUM that names no file, or a promtool that CI requires. Without promtool
 * elsewhere, the alert-rule suite is skipped with its reason, in the runner's own summary.
 *
 * scripts/test.sh runs here with LEAKLAB_PREREQUISITES_ONLY=1 (it stops after that stage) and a
 * PATH that has what the script needs but no promtool, so the cases do not depend on the machine.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The commands scripts/test.sh uses up to the end of its prerequisites stage. */
const TOOLS = ['bash', 'dirname', 'mkdir', 'mktemp', 'rm', 'npm', 'npx'];

let bin = '';
before(() => {
  bin = mkdtempSync(path.join(os.tmpdir(), 'leaklab-bin-'));
  symlinkSync(process.execPath, path.join(bin, 'node'));
  for (const tool of TOOLS) {
    const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (found) symlinkSync(found, path.join(bin, tool));
  }
});
after(() => rmSync(bin, { recursive: true, force: true }));

function testScript(env: Record<string, string>) {
  const run = spawnSync(path.join(bin, 'bash'), [path.join(ROOT, 'scripts', 'test.sh')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: bin, LEAKLAB_PREREQUISITES_ONLY: '1', LEAKLAB_REQUIRE_PROMTOOL: '', ...env },
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('npm test, prerequisites stage', () => {
  it('comes first, finds a Chromium, and says the alert-rule tests will be skipped without promtool', () => {
    const { code, out, err } = testScript({});
    assert.equal(code, 0, err);
    assert.ok(out.startsWith('== prerequisites\n'), out);
    assert.match(err, /chromium {2}\S+ \((from LEAKLAB_CHROMIUM|Debian's|Playwright's own|from npm .*)\)/);
    assert.match(out, /promtool {2}not found: the alert-rule tests will be skipped/);
    assert.doesNotMatch(out, /== type-check/, 'LEAKLAB_PREREQUISITES_ONLY stops after the stage');
  });

  it('stops at once when LEAKLAB_CHROMIUM names no file', () => {
    const { code, out, err } = testScript({ LEAKLAB_CHROMIUM: '/nowhere/chromium' });
    assert.equal(code, 1);
    assert.match(err, /LEAKLAB_CHROMIUM=\/nowhere\/chromium, but there is no such file/);
    assert.doesNotMatch(out, /promtool|== type-check/);
  });

  it('stops at once when promtool is required (CI) and missing', () => {
    const { code, out, err } = testScript({ LEAKLAB_REQUIRE_PROMTOOL: '1' });
    assert.equal(code, 1);
    assert.match(err, /promtool {2}not found, and LEAKLAB_REQUIRE_PROMTOOL=1: install it \(apt-get install -y prometheus\)/);
    assert.doesNotMatch(out, /== type-check/);
  });
});

/** Run the alert-rule suite in a test runner of its own (not as a child of this one), without promtool on PATH. */
function alertRuleSuite(requirePromtool: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: bin, LEAKLAB_REQUIRE_PROMTOOL: requirePromtool };
  delete env.NODE_TEST_CONTEXT; // set for this file's own process; a nested runner would report to it instead
  return spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', path.join(ROOT, 'test', 'ops', 'promtool.test.ts')], { cwd: ROOT, encoding: 'utf8', env });
}

describe('the alert-rule suite without promtool', () => {
  it('is skipped with its reason in the test runner\'s output', () => {
    const run = alertRuleSuite('');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /# SKIP promtool is not installed \(apt-get install -y prometheus\)/);
  });

  it('fails where LEAKLAB_REQUIRE_PROMTOOL=1, as in CI', () => {
    const run = alertRuleSuite('1');
    assert.notEqual(run.status, 0);
    assert.match(run.stdout, /promtool not found on PATH, and LEAKLAB_REQUIRE_PROMTOOL=1/);
  });
});
