/**
 * The CI reporters of `leaklab check` on recorded verdicts (real check runs, test/fixtures/verdicts/):
 *
 * - JUnit XML is valid against a JUnit XML Schema (test/cli/schemas/junit.xsd) under libxml2, the
 *   validator behind xmllint; each lab is one test case whose outcome follows the verdict;
 * - GitHub's job summary is a GitHub-flavoured Markdown table, parsed back with the same Markdown
 *   parser family GitHub's renderer follows (micromark with its GFM table extension);
 * - GitHub annotations are well-formed workflow commands on the learner's file;
 * - a status this version does not know (the checker may add one) fails, with its reasons.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import type { Root, Table } from 'mdast';
import { escapeData, renderAnnotations, renderJobSummary, SUMMARY_LIMIT_BYTES } from '../../cli/reporters/github.ts';
import { renderJunit } from '../../cli/reporters/junit.ts';
import { evidenceLine, outcomeOf } from '../../cli/reporters/outcome.ts';
import { parseReporters, writeReports, type CheckRun } from '../../cli/reporters/run.ts';
import type { VerdictFile } from '../../cli/reporters/verdict-file.ts';
import type { Terminal } from '../../cli/terminal.ts';
import type { Verdict } from '../../kit/types.ts';
import { junitSchemaErrors, recordedFiles, xmlText } from './verdict-fixtures.ts';

const recorded = recordedFiles();
const runOf = (file: VerdictFile): CheckRun => ({ file, files: file.verdicts.map((v) => `labs/${v.labId}/server.ts`), all: true });
const allVerdicts = [...recorded.values()].flatMap((file) => file.verdicts);

/** A recorded run with one verdict replaced, for the cases no recording has. */
function withVerdict(change: (verdict: Verdict) => Verdict): CheckRun {
  const file = structuredClone(recorded.get('grace-1.json')!);
  file.verdicts[0] = change(file.verdicts[0]!);
  return runOf(file);
}

/** Test cases of a JUnit report: name, file, and the failure/error element if any. */
function testcases(xml: string) {
  return [...xml.matchAll(/<testcase name="([^"]*)"[^>]*file="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g)].map(([, name, file, body]) => {
    const problem = /<(failure|error) type="([^"]*)" message="([^"]*)">/.exec(body!);
    return { name: xmlText(name!), file: xmlText(file!), element: problem?.[1], type: problem?.[2], message: problem ? xmlText(problem[3]!) : undefined };
  });
}

function parseSummary(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] });
}

function cellText(node: { children?: unknown[]; value?: string }): string {
  if (typeof node.value === 'string') return node.value;
  return (node.children ?? []).map((child) => cellText(child as typeof node)).join('');
}

describe('the recorded verdicts', () => {
  it('cover every status a CI system must tell apart: pass, leak, broken and could not run', () => {
    const statuses = new Set(allVerdicts.map((verdict) => verdict.status));
    for (const status of ['pass', 'leak', 'broken', 'error']) assert.ok(statuses.has(status as Verdict['status']), `no recorded "${status}" verdict`);
  });
});

describe('--reporter junit', () => {
  for (const [name, file] of recorded) {
    it(`${name}: valid JUnit XML, one test case per lab with the verdict's outcome and evidence`, async () => {
      const xml = renderJunit(runOf(file));
      assert.deepEqual(await junitSchemaErrors(xml), []);
      const cases = testcases(xml);
      assert.deepEqual(cases.map((c) => c.name), file.verdicts.map((v) => v.labId));
      file.verdicts.forEach((verdict, i) => {
        const testcase = cases[i]!;
        const outcome = outcomeOf(verdict.status);
        assert.equal(testcase.element, { passed: undefined, failed: 'failure', error: 'error' }[outcome], `${verdict.labId} (${verdict.status})`);
        assert.equal(testcase.file, `labs/${verdict.labId}/server.ts`);
        if (outcome !== 'passed') {
          assert.equal(testcase.type, verdict.status);
          assert.equal(testcase.message, verdict.reasons.join(' '), 'the message is the checker\'s reasons');
        }
      });
      const failures = file.verdicts.filter((v) => outcomeOf(v.status) === 'failed').length;
      const errors = file.verdicts.filter((v) => outcomeOf(v.status) === 'error').length;
      assert.match(xml, new RegExp(`<testsuite [^>]*tests="${file.verdicts.length}" failures="${failures}" errors="${errors}"`));
    });
  }

  // 'inconclusive' (the checker could not decide within its budget) and a status a newer checker
  // may add are both failures: only a pass passes a CI job.
  for (const status of ['inconclusive', 'a-status-from-a-newer-checker']) {
    it(`"${status}" is a failure of that type, carrying the checker's reasons`, async () => {
      const run = withVerdict((v) => ({ ...v, status: status as Verdict['status'], reasons: ['The memory trend stayed undecided for the whole budget.'] }));
      const xml = renderJunit(run);
      assert.deepEqual(await junitSchemaErrors(xml), []);
      const first = testcases(xml)[0]!;
      assert.equal(first.element, 'failure');
      assert.equal(first.type, status);
      assert.equal(first.message, 'The memory trend stayed undecided for the whole budget.');
      assert.equal(renderAnnotations(run).length, run.file.verdicts.filter((v) => v.status !== 'pass').length, 'annotated like any failure');
    });
  }

  it('stays valid whatever the learner\'s server printed: colour codes, control characters, markup, newlines', async () => {
    const nasty = 'crashed: \u001b[31mTypeError\u001b[0m at <anonymous> & "quotes" \u0007bell ]]> \ud800\nsecond line';
    const run = withVerdict((v) => ({ ...v, status: 'error', reasons: [nasty], labId: 'weird <lab> & "id"' }));
    const xml = renderJunit(run);
    assert.deepEqual(await junitSchemaErrors(xml), []);
    const first = testcases(xml)[0]!;
    assert.equal(first.name, 'weird <lab> & "id"');
    assert.equal(first.message, 'crashed: TypeError at <anonymous> & "quotes" bell ]]> \nsecond line', 'colour codes and forbidden characters are dropped, the newline kept');
  });

  it('the schema is a real check: it rejects a report with a negative count and a test case without a name', async () => {
    const xml = renderJunit(runOf(recorded.get('ada-1.json')!));
    const broken = xml.replace(/tests="\d+"/, 'tests="-1"').replace(/<testcase name="[^"]*"/, '<testcase');
    const errors = await junitSchemaErrors(broken);
    assert.ok(errors.some((e) => /tests.*-1/.test(e)), errors.join('\n'));
    assert.ok(errors.some((e) => /name.*required/.test(e)), errors.join('\n'));
  });
});

describe('--reporter github: job summary', () => {
  for (const [name, file] of recorded) {
    it(`${name}: one GitHub-flavoured Markdown table, a row per lab, and the reasons of each lab that did not pass`, () => {
      const markdown = renderJobSummary(runOf(file));
      assert.ok(Buffer.byteLength(markdown) < SUMMARY_LIMIT_BYTES);
      const tables = parseSummary(markdown).children.filter((node): node is Table => node.type === 'table');
      assert.equal(tables.length, 1);
      const [header, ...rows] = tables[0]!.children.map((row) => row.children.map((cell) => cellText(cell)));
      assert.deepEqual(header, ['Lab', 'Result', 'Evidence', 'File', 'Time']);
      assert.equal(rows.length, file.verdicts.length);
      file.verdicts.forEach((verdict, i) => {
        assert.equal(rows[i]!.length, 5);
        assert.equal(rows[i]![0], verdict.labId);
        assert.ok(rows[i]![1]!.endsWith(verdict.status), rows[i]![1]);
        // Inline code (`leaklab hint 02`) renders as code: compare the text without its backticks.
        assert.equal(rows[i]![2], evidenceLine(verdict).replace(/\s*\n\s*/g, ' ').replace(/`/g, ''));
      });
      const passed = file.verdicts.filter((v) => v.status === 'pass').length;
      assert.match(markdown, new RegExp(`^## Leak Lab: ${passed} of ${file.verdicts.length} labs pass`));
      assert.equal((markdown.match(/<details>/g) ?? []).length, file.verdicts.length - passed);
    });
  }

  it('a pipe or a newline in the evidence never breaks the table', () => {
    const run = withVerdict((v) => ({ ...v, status: 'error', reasons: ['server said a | b\nthen c | d'] }));
    const [table] = parseSummary(renderJobSummary(run)).children.filter((node): node is Table => node.type === 'table');
    const row = table!.children[1]!.children.map((cell) => cellText(cell));
    assert.equal(row.length, 5);
    assert.equal(row[2], 'server said a | b');
  });
});

describe('--reporter github: annotations', () => {
  const ANNOTATION = /^::error file=([^,:]+),line=(\d+),title=([^,:]+)::(.+)$/;

  it('one ::error per lab that did not pass, on the learner\'s file, on line 1 saying so', () => {
    const file = recorded.get('grace-1.json')!;
    const lines = renderAnnotations(runOf(file));
    const failing = file.verdicts.filter((v) => outcomeOf(v.status) !== 'passed');
    assert.equal(lines.length, failing.length);
    lines.forEach((line, i) => {
      const match = ANNOTATION.exec(line);
      assert.ok(match, line);
      assert.equal(match[1], `labs/${failing[i]!.labId}/server.ts`);
      assert.equal(match[2], '1');
      assert.equal(decodeURIComponent(match[3]!), `Leak Lab ${failing[i]!.labId}: ${failing[i]!.status}`);
      const message = decodeURIComponent(match[4]!);
      for (const reason of failing[i]!.reasons) assert.ok(message.includes(reason), `reason missing: ${reason}`);
      assert.match(message, /Line 1: the checker judges the whole file and names no line/);
    });
  });

  it('uses the line the verdict points to once verdicts carry a location', () => {
    const run = withVerdict((v) => ({ ...v, status: 'leak', location: { file: 'workspace/01-unbounded-cache/server.ts', line: 42 } }) as Verdict);
    const [first] = renderAnnotations(run);
    const match = ANNOTATION.exec(first!);
    assert.ok(match, first);
    assert.equal(match[1], 'workspace/01-unbounded-cache/server.ts');
    assert.equal(match[2], '42');
    assert.doesNotMatch(decodeURIComponent(match[4]!), /Line 1:/);
  });

  it('escapes what would end the command early: %, newlines, and in properties , and :', () => {
    assert.equal(escapeData('100% done\r\nnext'), '100%25 done%0D%0Anext');
    const run = withVerdict((v) => ({ ...v, status: 'broken', labId: 'a,b:c' }));
    const match = ANNOTATION.exec(renderAnnotations(run)[0]!);
    assert.ok(match);
    assert.equal(decodeURIComponent(match[3]!), 'Leak Lab a,b:c: broken');
  });
});

describe('--reporter options', () => {
  const capture = (): Terminal & { text: string[] } => {
    const text: string[] = [];
    return { text, out: (line) => text.push(line), err: () => {}, color: false, interactive: false };
  };

  it('accepts several reporters, but only one of them on stdout', () => {
    assert.deepEqual(parseReporters(['junit=out/j.xml', 'github'], true), [{ name: 'junit', destination: 'out/j.xml' }, { name: 'github', destination: undefined }, { name: 'json', destination: undefined }]);
    assert.throws(() => parseReporters(['junit'], true), /Only one report can go to stdout/);
    assert.throws(() => parseReporters(['tap'], false), /Unknown reporter "tap"/);
  });

  it('github appends its summary to $GITHUB_STEP_SUMMARY, as GitHub expects of each step', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'leaklab-summary-'));
    try {
      const summary = path.join(dir, 'step_summary');
      const term = capture();
      const run = runOf(recorded.get('ada-1.json')!);
      writeReports(run, [{ name: 'github' }], term, { GITHUB_STEP_SUMMARY: summary });
      writeReports(run, [{ name: 'github' }], term, { GITHUB_STEP_SUMMARY: summary });
      assert.equal(readFileSync(summary, 'utf8'), renderJobSummary(run).repeat(2));
      assert.ok(term.text.every((line) => line.startsWith('::error ')), 'stdout holds only the annotations');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
