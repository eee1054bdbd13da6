/**
 * list, hint, check and reset, through the real CLI, each test on its own scratch copy of the
 * course (LEAKLAB_ROOT, with its own workspace and output folder) so that nothing touches the real
 * labs, workspace or output/, and no test depends on what another left behind: the learner's
 * copies made on first use, progressive hints, status after a check, and a reset that restores
 * the shipped file (no git needed) while keeping the learner's version.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { processesMentioning, runCli, scratchCourse, scratchEnv, startCli, waitGone } from './cli-process.ts';

let scratch = '';
const env = () => scratchEnv(scratch);
/** The learner's copy of a lab's file in the scratch workspace. */
const mine = (labId: string, file = 'server.ts') => path.join(env().LEAKLAB_WORKSPACE, labId, file);
const shipped = (labId: string, file = 'server.ts') => path.join(scratch, 'labs', labId, file);

beforeEach(() => {
  scratch = scratchCourse();
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('the workspace', () => {
  it('gives the learner a copy of every lab on first use: server.ts as shipped, fixtures re-exported', async () => {
    assert.equal(existsSync(env().LEAKLAB_WORKSPACE), false);
    const result = await runCli(['list'], env());
    assert.equal(result.code, 0, result.stderr);
    const labIds = readdirSync(path.join(scratch, 'labs')).filter((name) => name !== 'course.json');
    assert.deepEqual(readdirSync(env().LEAKLAB_WORKSPACE).sort(), labIds.sort());
    assert.equal(readFileSync(mine('01-unbounded-cache'), 'utf8'), readFileSync(shipped('01-unbounded-cache'), 'utf8'));
    assert.equal(readFileSync(mine('01-unbounded-cache', 'db.ts'), 'utf8'), "export * from '../../labs/01-unbounded-cache/db.ts';\n");
  });
});

describe('leaklab hint', () => {
  it('reveals one more hint each time, then says where the reference fix is', async () => {
    const course = JSON.parse(readFileSync(path.join(scratch, 'labs', 'course.json'), 'utf8')) as { labs: Array<{ hints: string[] }> };
    const hints = course.labs[1]!.hints;
    const first = await runCli(['hint', '02'], env());
    assert.equal(first.code, 0);
    assert.match(first.stdout, new RegExp(`hint 1 of ${hints.length}`));
    assert.ok(first.stdout.includes(hints[0]!));
    assert.ok(!first.stdout.includes(hints[1]!), 'the second hint stays hidden');
    assert.match(first.stdout, /Run `npx leaklab hint 02` again for the next one/);
    const second = await runCli(['hint', 'sse-listener'], env());
    assert.ok(second.stdout.includes(hints[0]!) && second.stdout.includes(hints[1]!));
    let last = second;
    for (let i = 2; i < hints.length + 1; i++) last = await runCli(['hint', '02-sse-listener'], env());
    assert.match(last.stdout, new RegExp(`hint ${hints.length} of ${hints.length}`));
    assert.match(last.stdout, /last hint.*solutions\/02-sse-listener\/server\.ts/s);
  });
});

describe('leaklab list and check', () => {
  it('shows "not checked", then the status of the last check of the learner file', async () => {
    const before = await runCli(['list'], env());
    assert.equal(before.code, 0);
    assert.match(before.stdout, /03\s+Closure capture.*not checked/);
    const check = await runCli(['check', '03'], env());
    assert.equal(check.code, 1, check.stdout + check.stderr);
    assert.match(check.stdout, /LEAK/);
    assert.match(check.stdout, /Run `npx leaklab hint 03` for a hint/);
    const afterCheck = await runCli(['list'], env());
    assert.match(afterCheck.stdout, /03\s+Closure capture.*✗ leak/);
    assert.ok(existsSync(path.join(env().LEAKLAB_OUTPUT, 'progress.json')), 'the verdict is kept in the scratch output folder');
  });
});

describe('leaklab check --watch', () => {
  it('checks, re-checks when the file is saved, and stops cleanly on Ctrl-C', async () => {
    const cli = startCli(['check', '03', '--watch'], env());
    await cli.waitFor(/LEAK[\s\S]*Watching \S*workspace\/03-closure-capture\/server\.ts/);
    // Save the reference fix over it, as a learner's editor would.
    writeFileSync(mine('03-closure-capture'), readFileSync(path.join(scratch, 'solutions', '03-closure-capture', 'server.ts'), 'utf8'));
    // A pass of the learner's own file points at the next lab, as a command that works.
    await cli.waitFor(/PASS[\s\S]*On to lab 04 · Uncleared interval: open \S*workspace\/04-uncleared-interval\/server\.ts and run `npx leaklab check 04`[\s\S]*Watching/);
    cli.proc.kill('SIGINT');
    const result = await cli.done;
    assert.equal(result.code, 0, 'the last verdict (a pass) is the exit code');
    assert.deepEqual(await waitGone(processesMentioning(mine('03-closure-capture'))), [], 'no lab process of the watched file is left');
  });
});

describe('leaklab reset', () => {
  it('restores the learner file as shipped and keeps their version in output/backups; the course copy is never touched', async () => {
    const original = readFileSync(shipped('01-unbounded-cache'), 'utf8');
    assert.equal((await runCli(['list'], env())).code, 0, 'the workspace is made');
    const attempt = `${original}\n// my attempt\n`;
    writeFileSync(mine('01-unbounded-cache'), attempt);
    const result = await runCli(['reset', 'unbounded-cache'], env());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(mine('01-unbounded-cache'), 'utf8'), original);
    const backupsDir = path.join(env().LEAKLAB_OUTPUT, 'backups');
    const backups = readdirSync(backupsDir);
    assert.equal(backups.length, 1);
    assert.match(backups[0]!, /^01-unbounded-cache-.*\.ts$/);
    assert.equal(readFileSync(path.join(backupsDir, backups[0]!), 'utf8'), attempt);
    assert.match(result.stdout, /saved as output\/backups\/01-unbounded-cache-/);
    assert.match(result.stdout, /Check it with `npx leaklab check 01`/);
    assert.equal(readFileSync(shipped('01-unbounded-cache'), 'utf8'), original);
    const again = await runCli(['reset', '01'], env());
    assert.match(again.stdout, /already as shipped/);
  });

  it('brings back a deleted server.ts and damaged fixture re-exports, and leaves the learner\'s own extra files', async () => {
    assert.equal((await runCli(['list'], env())).code, 0, 'the workspace is made');
    rmSync(mine('04-uncleared-interval'));
    writeFileSync(mine('04-uncleared-interval', 'config.ts'), '// oops\n');
    writeFileSync(mine('04-uncleared-interval', 'notes.md'), 'my notes\n');
    const result = await runCli(['reset', '04'], env());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(mine('04-uncleared-interval'), 'utf8'), readFileSync(shipped('04-uncleared-interval'), 'utf8'));
    assert.equal(readFileSync(mine('04-uncleared-interval', 'config.ts'), 'utf8'), "export * from '../../labs/04-uncleared-interval/config.ts';\n");
    assert.equal(readFileSync(mine('04-uncleared-interval', 'notes.md'), 'utf8'), 'my notes\n');
  });
});
