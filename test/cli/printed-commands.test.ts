/**
 * Printed commands work as printed. After `npm install` the `leaklab` command is not on the PATH,
 * but `npx leaklab …` finds the one the project defines (package.json "bin"). So every command the
 * CLI and the kit's messages suggest is written `npx leaklab <command>`, names a command that
 * exists, and the form itself runs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { LAB_ERROR_CODES, LabError } from '../../kit/errors.ts';
import { USAGE } from '../../cli/usage.ts';
import { ROOT, runCli } from './cli-process.ts';

/** The commands the CLI has, as its help lists them. */
const COMMANDS = new Set([...USAGE.matchAll(/^ {2}npx leaklab (\w+)/gm)].map((match) => match[1]!));

/** Every `leaklab <word>` in a text, with whether `npx ` comes before it. */
function suggestedCommands(text: string): Array<{ command: string; withNpx: boolean; at: string }> {
  return [...text.matchAll(/(npx )?\bleaklab (\w+)/g)].map((match) => ({
    command: match[2]!,
    withNpx: match[1] !== undefined,
    at: text.slice(Math.max(0, match.index - 30), match.index + match[0].length + 10),
  }));
}

function assertAllRunnable(text: string, where: string): void {
  for (const suggestion of suggestedCommands(text)) {
    assert.ok(suggestion.withNpx, `${where} prints a bare leaklab command: …${suggestion.at}…`);
    assert.ok(COMMANDS.has(suggestion.command), `${where} suggests "npx leaklab ${suggestion.command}", which is no command: …${suggestion.at}…`);
  }
}

describe('commands printed for the learner', () => {
  it('the help lists every command in the npx form', () => {
    assert.deepEqual([...COMMANDS].sort(), ['check', 'help', 'hint', 'list', 'reset', 'run', 'scoreboard', 'start']);
    assertAllRunnable(USAGE, 'the help');
  });

  it('every message of the error catalogue that suggests a command suggests a runnable one', () => {
    let suggesting = 0;
    for (const code of LAB_ERROR_CODES) {
      const message = new LabError(code, { file: 'workspace/01-unbounded-cache/server.ts', lab: '01', detail: 'x', seconds: 4 }).message;
      assertAllRunnable(message, code);
      if (suggestedCommands(message).length > 0) suggesting += 1;
    }
    assert.ok(suggesting >= 6, `only ${suggesting} messages suggest a command`);
  });

  it('the CLI\'s own answers to mistakes suggest runnable commands', async () => {
    for (const args of [['check'], ['check', 'no-such-lab'], ['frobnicate'], ['check', '01', 'extra'], ['scoreboard'], ['check', '01', '--watch', '--json']]) {
      const result = await runCli(args);
      assert.equal(result.code, 2, `leaklab ${args.join(' ')}: ${result.stderr}`);
      assert.ok(suggestedCommands(result.stderr).length > 0, `leaklab ${args.join(' ')} suggests nothing: ${result.stderr}`);
      assertAllRunnable(result.stderr, `leaklab ${args.join(' ')}`);
    }
  });

  it('`npx leaklab help` runs in the project folder as printed', () => {
    const npx = spawnSync('npx', ['--no-install', 'leaklab', 'help'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(npx.status, 0, npx.stderr);
    assert.equal(npx.stdout.trim(), USAGE.trim());
  });
});
