/**
 * `leaklab scoreboard` on the recorded verdict files of a small cohort (real `check --all` runs,
 * test/fixtures/verdicts/): who passed which lab, the time to the first pass derived from the
 * files' own times, a lab that passed once and fails now, and the terminal and HTML tables through
 * the real CLI.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildScoreboard, cellText, formatDuration } from '../../cli/reporters/scoreboard.ts';
import type { VerdictFile } from '../../cli/reporters/verdict-file.ts';
import { runCli } from './cli-process.ts';
import { recordedFiles, VERDICTS_DIR } from './verdict-fixtures.ts';

const recorded = recordedFiles();
const files = [...recorded.values()];
const learners = [...new Set(files.map((file) => file.learner))].sort();

/** The first time (ms) a learner's lab passed, straight from the files. */
function firstPass(learner: string, labId: string): number | undefined {
  const times = files
    .filter((file) => file.learner === learner && file.verdicts.some((v) => v.labId === labId && v.status === 'pass'))
    .map((file) => Date.parse(file.checkedAt));
  return times.length ? Math.min(...times) : undefined;
}
const firstCheck = (learner: string) => Math.min(...files.filter((f) => f.learner === learner).map((f) => Date.parse(f.checkedAt)));

describe('buildScoreboard', () => {
  const board = buildScoreboard(files);

  it('has one row per learner, in alphabetical order, and every lab as a column', () => {
    assert.deepEqual(board.rows.map((row) => row.learner), learners);
    assert.deepEqual(board.labs, [...new Set(files.flatMap((file) => file.verdicts.map((v) => v.labId)))].sort());
    assert.equal(board.files, files.length);
  });

  it('times the first pass of each lab from the learner\'s first check', () => {
    let passes = 0;
    for (const row of board.rows) {
      for (const lab of board.labs) {
        const expected = firstPass(row.learner, lab);
        const cell = row.cells.get(lab)!;
        if (expected === undefined) {
          assert.equal(cell.firstPassAt, undefined, `${row.learner} ${lab}`);
          continue;
        }
        passes++;
        assert.equal(Date.parse(cell.firstPassAt!), expected, `${row.learner} ${lab}`);
        assert.equal(cell.timeToPassMs, expected - firstCheck(row.learner));
      }
      assert.equal(row.passed, board.labs.filter((lab) => firstPass(row.learner, lab) !== undefined).length);
    }
    assert.ok(passes >= 3, 'the recordings include passes to time');
  });

  it('with --since, times every learner from the session\'s start instead', () => {
    const since = new Date(Math.min(...files.map((f) => Date.parse(f.checkedAt))) - 15 * 60_000);
    const timed = buildScoreboard(files, { since });
    for (const row of timed.rows) {
      for (const [lab, cell] of row.cells) {
        if (cell.firstPassAt) assert.equal(cell.timeToPassMs, firstPass(row.learner, lab)! - since.getTime());
      }
    }
  });

  it('shows the latest status of a lab not passed yet, and marks a lab that passed once but fails now', () => {
    for (const row of board.rows) {
      const latest = files.filter((f) => f.learner === row.learner).sort((a, b) => Date.parse(b.checkedAt) - Date.parse(a.checkedAt))[0]!;
      for (const verdict of latest.verdicts) {
        const text = cellText(row.cells.get(verdict.labId));
        if (firstPass(row.learner, verdict.labId) === undefined) assert.ok(text.endsWith(verdict.status), `${row.learner} ${verdict.labId}: ${text}`);
        else assert.equal(text.endsWith('*'), verdict.status !== 'pass', `${row.learner} ${verdict.labId}: ${text}`);
      }
    }
    assert.ok(board.rows.some((row) => [...row.cells.values()].some((cell) => cellText(cell).endsWith('*'))), 'the recordings include a regression');
  });

  it('counts a verdict file given twice (an artifact downloaded twice) once', () => {
    const twice = buildScoreboard([...files, ...files]);
    assert.equal(twice.files, files.length);
    assert.deepEqual(twice.rows.map((row) => [...row.cells.values()].map((cell) => cell.checks)), board.rows.map((row) => [...row.cells.values()].map((cell) => cell.checks)));
  });

  it('writes durations short enough for a cell', () => {
    assert.equal(formatDuration(0), '0m');
    assert.equal(formatDuration(59 * 60_000 + 59_000), '59m');
    assert.equal(formatDuration(65 * 60_000), '1h05m');
  });
});

describe('leaklab scoreboard', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'leaklab-scoreboard-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('merges a folder of verdict files into a terminal table and a static HTML page', async () => {
    const html = path.join(dir, 'board', 'scoreboard.html');
    const result = await runCli(['scoreboard', VERDICTS_DIR, '--html', html]);
    assert.equal(result.code, 0, result.stderr);
    const board = buildScoreboard(files);
    const lines = result.stdout.split('\n');
    const header = lines.find((line) => line.startsWith('learner'))!;
    assert.deepEqual(header.split(/\s+/), ['learner', ...board.labs.map((lab) => lab.slice(0, 2)), 'passed']);
    for (const row of board.rows) {
      const line = lines.find((l) => l.startsWith(`${row.learner} `));
      assert.ok(line, `no row for ${row.learner}`);
      assert.ok(line.endsWith(`${row.passed}/${board.labs.length}`), line);
      for (const lab of board.labs) assert.ok(line.includes(cellText(row.cells.get(lab))), `${row.learner} ${lab}: ${line}`);
    }
    const page = readFileSync(html, 'utf8');
    assert.match(page, /^<!doctype html>/);
    assert.doesNotMatch(page, /<script|<link|src=/, 'one self-contained page');
    for (const row of board.rows) {
      const tr = new RegExp(`<tr><th scope="row">${row.learner}</th>(.*?)</tr>`).exec(page);
      assert.ok(tr, `no row for ${row.learner}`);
      const cells = [...tr[1]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
      assert.deepEqual(cells, [...board.labs.map((lab) => cellText(row.cells.get(lab))), `${row.passed}/${board.labs.length}`]);
    }
  });

  it('escapes a learner name in the HTML page', async () => {
    const file: VerdictFile = { ...recorded.get('ada-1.json')!, learner: '<img src=x onerror=alert(1)>' };
    writeFileSync(path.join(dir, 'hostile.json'), JSON.stringify(file));
    const html = path.join(dir, 'hostile.html');
    const result = await runCli(['scoreboard', path.join(dir, 'hostile.json'), '--html', html]);
    assert.equal(result.code, 0, result.stderr);
    const page = readFileSync(html, 'utf8');
    assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!page.includes('<img'));
  });

  it('skips other JSON files inside a folder, and says so', async () => {
    const folder = path.join(dir, 'artifacts');
    cpSync(VERDICTS_DIR, path.join(folder, 'run-1'), { recursive: true });
    writeFileSync(path.join(folder, 'run-1', 'package.json'), '{"name":"not a verdict file"}');
    const result = await runCli(['scoreboard', folder]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Skipped .*package\.json: expected "format": "leaklab-verdicts\/1"/);
    assert.match(result.stdout, new RegExp(`${learners.length} learners, ${files.length} checks`));
  });

  it('refuses a named file that is not a verdict file, naming it, with exit code 2', async () => {
    const bad = path.join(dir, 'single-verdict.json');
    writeFileSync(bad, JSON.stringify(files[0]!.verdicts[0]));
    const result = await runCli(['scoreboard', bad]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /single-verdict\.json: expected "format": "leaklab-verdicts\/1" \(the output of `npx leaklab check --all --json`\)/);
  });

  it('asks for files when given none, and for a real date in --since', async () => {
    assert.equal((await runCli(['scoreboard'])).code, 2);
    const result = await runCli(['scoreboard', VERDICTS_DIR, '--since', 'after lunch']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--since must be a date/);
  });
});
