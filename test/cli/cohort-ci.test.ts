/**
 * The CI files a facilitator copies into a team's fork (ops/ci/):
 *
 * - the GitHub Actions workflow passes action-validator (GitHub's workflow schema), which is shown
 *   to reject a broken copy;
 * - both files run `check --all` with the JUnit and verdict-file reporters, keep the reports even
 *   when a lab fails, and name no learner file (the CLI finds each lab's file itself);
 * - the workflow's own check command, run as GitHub would run it on a scratch copy of the course,
 *   writes a schema-valid JUnit report, a verdict file the scoreboard reads, a job summary and one
 *   annotation per lab that does not pass.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import YAML from 'yaml';
import { escapeProperty } from '../../cli/reporters/github.ts';
import { readVerdictFile } from '../../cli/reporters/verdict-file.ts';
import { displayPath } from '../../kit/lab-process.ts';
import { loadCourse } from '../../kit/manifest.ts';
import { ROOT, scratchCourse, scratchEnv } from './cli-process.ts';
import { junitSchemaErrors } from './verdict-fixtures.ts';

const WORKFLOW = path.join(ROOT, 'ops', 'ci', 'leaklab-cohort.yml');
const GITLAB = path.join(ROOT, 'ops', 'ci', 'leaklab-cohort.gitlab-ci.yml');
const VALIDATOR = path.join(ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number>;
}
const workflow = YAML.parse(readFileSync(WORKFLOW, 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const checkStep = steps.find((step) => step.run?.includes('check --all'));
const gitlab = YAML.parse(readFileSync(GITLAB, 'utf8')) as Record<string, { script: string[]; artifacts: { when: string; paths: string[]; reports: { junit: string } } }>;

/** The FILE of each `--reporter NAME=FILE` in a command. */
function reporterFiles(command: string): Record<string, string> {
  return Object.fromEntries([...command.matchAll(/--reporter (\w+)=(\S+)/g)].map(([, name, file]) => [name!, file!]));
}

function validate(file: string): { code: number | null; output: string } {
  const run = spawnSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8' });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the GitHub Actions workflow (ops/ci/leaklab-cohort.yml)', () => {
  it('is a valid workflow for GitHub Actions (action-validator)', () => {
    const { code, output } = validate(WORKFLOW);
    assert.equal(code, 0, output);
  });

  it('the validator is a real check: a misspelt key fails it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'leaklab-workflow-'));
    try {
      const broken = path.join(dir, 'broken.yml');
      writeFileSync(broken, readFileSync(WORKFLOW, 'utf8').replace('runs-on:', 'run-on:'));
      const { code, output } = validate(broken);
      assert.notEqual(code, 0);
      assert.match(output, /run-on/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks every lab with the JUnit, verdict-file and GitHub reporters, and uploads the reports whatever the result', () => {
    assert.ok(checkStep?.run, 'no step runs `check --all`');
    assert.match(checkStep.run, /^npm run leaklab -- check --all /);
    assert.match(checkStep.run, /--reporter github(\s|$)/);
    const files = reporterFiles(checkStep.run);
    assert.ok(files.junit && files.json, `expected junit=FILE and json=FILE in: ${checkStep.run}`);
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    assert.ok(upload, 'no upload-artifact step');
    assert.equal(upload.if, 'always()', 'a failing lab must not stop the upload');
    const uploaded = String(upload.with?.path);
    for (const file of Object.values(files)) assert.ok(file.startsWith(uploaded), `${file} is not under the uploaded ${uploaded}`);
  });

  it('takes the learner\'s name from the environment, never pasted into the script', () => {
    assert.equal(checkStep?.env?.LEAKLAB_LEARNER, '${{ github.actor }}');
    assert.doesNotMatch(checkStep!.run!, /\$\{\{/);
  });

  it('names no learner file: `check --all` finds each lab\'s file itself', () => {
    assert.doesNotMatch(readFileSync(WORKFLOW, 'utf8'), /labs\/|workspace\/|server\.ts/);
  });
});

describe('the GitLab CI job (ops/ci/leaklab-cohort.gitlab-ci.yml)', () => {
  it('runs the same check and hands GitLab the JUnit report, kept even when a lab fails', () => {
    const [job] = Object.values(gitlab);
    const command = job!.script.find((line) => line.includes('check --all'));
    assert.ok(command);
    assert.equal(command.replace(/\s+/g, ' ').trim(), checkStep!.run!.replace(' --reporter github', '').replace(/\s+/g, ' ').trim());
    const files = reporterFiles(command);
    assert.equal(job!.artifacts.reports.junit, files.junit);
    assert.equal(job!.artifacts.when, 'always');
    assert.ok(job!.artifacts.paths.some((folder) => files.json!.startsWith(folder)));
    assert.doesNotMatch(readFileSync(GITLAB, 'utf8'), /labs\/|workspace\/|server\.ts/);
  });
});

describe('the workflow\'s check command, run as GitHub runs it', () => {
  let scratch = '';
  before(() => {
    scratch = scratchCourse();
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('on the labs as shipped: exit 1, a valid JUnit report, a verdict file, a summary and an annotation per lab', async () => {
    const summary = path.join(scratch, 'step_summary.md');
    const run = spawnSync('bash', ['-c', checkStep!.run!], {
      cwd: scratch,
      encoding: 'utf8',
      env: { ...process.env, ...scratchEnv(scratch), LEAKLAB_LEARNER: 'octocat', GITHUB_STEP_SUMMARY: summary, NO_COLOR: '1' },
    });
    assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
    const labs = loadCourse(scratch).labs;
    const learnerFile = (labId: string) => path.join(scratchEnv(scratch).LEAKLAB_WORKSPACE, labId, 'server.ts');
    const files = reporterFiles(checkStep!.run!);

    const junit = readFileSync(path.join(scratch, files.junit!), 'utf8');
    assert.deepEqual(await junitSchemaErrors(junit), []);
    assert.equal((junit.match(/<testcase /g) ?? []).length, labs.length);
    assert.equal((junit.match(/<failure type="leak"/g) ?? []).length, labs.length, 'every shipped lab leaks');

    const verdicts = readVerdictFile(path.join(scratch, files.json!));
    assert.equal(verdicts.learner, 'octocat');
    assert.deepEqual(verdicts.verdicts.map((v) => v.labId), labs.map((lab) => lab.id));

    assert.match(readFileSync(summary, 'utf8'), new RegExp(`^## Leak Lab: 0 of ${labs.length} labs pass`));
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::error '));
    assert.equal(annotations.length, labs.length);
    labs.forEach((lab, i) => assert.ok(annotations[i]!.startsWith(`::error file=${escapeProperty(displayPath(learnerFile(lab.id)))},line=1,`), annotations[i]));
  });
});
