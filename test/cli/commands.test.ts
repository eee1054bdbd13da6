/**
 * list, hint and reset, through the real CLI, on a scratch copy of the course (LEAKLAB_ROOT) so that
 * nothing touches the real labs or workspace: the learner's copies made on first use, progressive
 * hints, status after a check, and a reset that restores the shipped file (no git needed) while
 * keeping the learner's version.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { childrenOf, ROOT, runCli, startCli, waitGone } from './cli-process.ts';

let scratch = '';
const env = () => ({ LEAKLAB_ROOT: scratch, LEAKLAB_WORKSPACE: path.join(scratch, 'workspace') });

before(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'leaklab-course-'));
  cpSync(path.join(ROOT, 'labs'), path.join(scratch, 'labs'), { recursive: true });
  cpSync(path.join(ROOT, 'solutions'), path.join(scratch, 'solutions'), { recursive: true });
  // The labs import ../../kit/lab-api.ts and packages: point the copy at the real ones.
  symlinkSync(path.join(ROOT, 'kit'), path.join(scratch, 'kit'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(scratch, 'node_modules'));
  cpSync(path.join(ROOT, 'package.json'), path.join(scratch, 'package.json'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('the workspace', () => {
  it('gives the learner a copy of every lab on first use: server.ts as shipped, fixtures re-exported', async () => {
    assert.equal(existsSync(path.join(scratch, 'workspace')), false);
    const result = await runCli(['list'], env());
    assert.equal(result.code, 0, result.stderr);
    const labIds = readdirSync(path.join(scratch, 'labs')).filter((name) => name !== 'course.json');
    assert.deepEqual(readdirSync(path.join(scratch, 'workspace')).sort(), labIds.sort());
    const mine = path.join(scratch, 'workspace', '01-unbounded-cache');
    assert.equal(readFileSync(path.join(mine, 'server.ts'), 'utf8'), readFileSync(path.join(scratch, 'labs', '01-unbounded-cache', 'server.ts'), 'utf8'));
    assert.equal(readFileSync(path.join(mine, 'db.ts'), 'utf8'), "export * from '../../labs/01-unbounded-cache/db.ts';\n");
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
    const afterCheck = await runCli(['list'], env());
    assert.match(afterCheck.stdout, /03\s+Closure capture.*✗ leak/);
  });
});

describe('leaklab check --watch', () => {
  it('checks, re-checks when the file is saved, and stops cleanly on Ctrl-C', async () => {
    const server = path.join(scratch, 'workspace', '03-closure-capture', 'server.ts');
    const cli = startCli(['check', '03', '--watch'], env());
    await cli.waitFor(/LEAK[\s\S]*Watching \S*workspace\/03-closure-capture\/server\.ts/, 30_000);
    // Save the reference fix over it, as a learner's editor would.
    writeFileSync(server, readFileSync(path.join(scratch, 'solutions', '03-closure-capture', 'server.ts'), 'utf8'));
    await cli.waitFor(/PASS[\s\S]*Watching/, 30_000);
    const labs = childrenOf(cli.proc.pid!);
    cli.proc.kill('SIGINT');
    const result = await cli.done;
    assert.equal(result.code, 0, 'the last verdict (a pass) is the exit code');
    assert.deepEqual(await waitGone(labs), []);
  });
});

describe('leaklab reset', () => {
  it('restores the learner file as shipped and keeps their version in output/backups; the course copy is never touched', async () => {
    const server = path.join(scratch, 'workspace', '01-unbounded-cache', 'server.ts');
    const shippedFile = path.join(scratch, 'labs', '01-unbounded-cache', 'server.ts');
    const shipped = readFileSync(shippedFile, 'utf8');
    const mine = `${shipped}\n// my attempt\n`;
    writeFileSync(server, mine);
    const result = await runCli(['reset', 'unbounded-cache'], env());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(server, 'utf8'), shipped);
    const backups = readdirSync(path.join(scratch, 'output', 'backups'));
    assert.equal(backups.length, 1);
    assert.match(backups[0]!, /^01-unbounded-cache-.*\.ts$/);
    assert.equal(readFileSync(path.join(scratch, 'output', 'backups', backups[0]!), 'utf8'), mine);
    assert.match(result.stdout, /saved as output\/backups\/01-unbounded-cache-/);
    assert.equal(readFileSync(shippedFile, 'utf8'), shipped);
    const again = await runCli(['reset', '01'], env());
    assert.match(again.stdout, /already as shipped/);
  });

  it('brings back a deleted server.ts and damaged fixture re-exports, and leaves the learner\'s own extra files', async () => {
    const folder = path.join(scratch, 'workspace', '04-uncleared-interval');
    rmSync(path.join(folder, 'server.ts'));
    writeFileSync(path.join(folder, 'config.ts'), '// oops\n');
    writeFileSync(path.join(folder, 'notes.md'), 'my notes\n');
    const result = await runCli(['reset', '04'], env());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(path.join(folder, 'server.ts'), 'utf8'), readFileSync(path.join(scratch, 'labs', '04-uncleared-interval', 'server.ts'), 'utf8'));
    assert.equal(readFileSync(path.join(folder, 'config.ts'), 'utf8'), "export * from '../../labs/04-uncleared-interval/config.ts';\n");
    assert.equal(readFileSync(path.join(folder, 'notes.md'), 'utf8'), 'my notes\n');
  });
});
