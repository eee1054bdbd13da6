/**
 * `leaklab check --reporter junit`: the verdicts as JUnit XML, the test report format that GitLab,
 * Jenkins, Azure Pipelines and GitHub's test-report actions all read. One <testcase> per lab:
 *
 * - pass: a passed test case;
 * - could not run (error): an <error>, as JUnit reports a test that blew up before it could judge;
 * - leak, broken, inconclusive, and any status this version does not know: a <failure> whose
 *   type is the status and whose message is the checker's reasons.
 *
 * The whole verdict as a learner reads it in the terminal (evidence, per-round chart, next step)
 * goes into the test case's <system-out>, so a CI page shows what the terminal would have.
 * The shape is checked against test/cli/schemas/junit.xsd by a real XML Schema validator.
 */
import os from 'node:os';
import { renderVerdict } from '../../kit/report.ts';
import type { Verdict } from '../../kit/types.ts';
import { escapeAttribute, escapeMarkup } from './markup.ts';
import { outcomeOf, reasonsText, seconds } from './outcome.ts';
import type { CheckRun } from './run.ts';

export function renderJunit(run: CheckRun): string {
  const { verdicts } = run.file;
  const count = (outcome: string) => verdicts.filter((verdict) => outcomeOf(verdict.status) === outcome).length;
  const totals = `tests="${verdicts.length}" failures="${count('failed')}" errors="${count('error')}" skipped="0" time="${seconds(totalMs(verdicts))}"`;
  // Ant's JUnit format writes the timestamp without a zone; it is UTC here, and the property says so.
  const timestamp = run.file.checkedAt.slice(0, 19);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="leaklab check" ${totals}>`,
    `  <testsuite name="${escapeMarkup(`leaklab: ${run.file.learner}`)}" ${totals} timestamp="${timestamp}" hostname="${escapeMarkup(os.hostname())}">`,
    '    <properties>',
    property('learner', run.file.learner),
    property('checkedAt', run.file.checkedAt),
    property('node', run.file.node),
    '    </properties>',
  ];
  verdicts.forEach((verdict, i) => lines.push(...testcase(verdict, run.files[i] ?? verdict.entry)));
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

function testcase(verdict: Verdict, file: string): string[] {
  const open = `    <testcase name="${escapeMarkup(verdict.labId)}" classname="leaklab.labs" file="${escapeMarkup(file)}" time="${seconds(verdict.durationMs)}">`;
  const outcome = outcomeOf(verdict.status);
  const lines = [open];
  if (outcome !== 'passed') {
    const element = outcome === 'error' ? 'error' : 'failure';
    // The message attribute is what most CI pages show in a list; the body adds the next step.
    const body = `${verdict.reasons.join('\n')}\nNext: ${verdict.next}`;
    lines.push(`      <${element} type="${escapeMarkup(verdict.status)}" message="${escapeAttribute(reasonsText(verdict))}">${escapeMarkup(body)}</${element}>`);
  }
  lines.push(`      <system-out>${escapeMarkup(renderVerdict(verdict, { file }))}</system-out>`, '    </testcase>');
  return lines;
}

function property(name: string, value: string): string {
  return `      <property name="${name}" value="${escapeMarkup(value)}"/>`;
}

function totalMs(verdicts: Verdict[]): number {
  return verdicts.reduce((sum, verdict) => sum + verdict.durationMs, 0);
}
