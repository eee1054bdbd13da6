/**
 * The memory alert rules (ops/prometheus/leaklab-alerts.yml) checked by Prometheus's own tool:
 * `promtool check rules` (syntax, PromQL) and `promtool test rules` (the scenarios in
 * leaklab-alerts.test.yml: leaks that must fire, healthy shapes that must not).
 *
 * Two checks go further than the scenario file can on its own:
 * - a quiet scenario is asserted quiet at every minute, not only at its written checkpoints
 *   (a warm-up false alarm once fired for seven minutes between two checkpoints);
 * - each design choice of the rules is broken on purpose (divide by heapTotal, drop `for:`, drop
 *   the post-GC floor, ...) and the scenarios must then fail, so they are known to guard it.
 *
 * promtool comes from Debian's `prometheus` package. Without it the suite is skipped with that
 * reason, except where LEAKLAB_REQUIRE_PROMTOOL=1 (.ci/run sets it): there it must be installed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import YAML from 'yaml';

const RULES_DIR = path.resolve(import.meta.dirname, '..', '..', 'ops', 'prometheus');
const RULES_FILE = 'leaklab-alerts.yml';
const SCENARIOS_FILE = 'leaklab-alerts.test.yml';

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  [key: string]: unknown;
}
interface RulesFile {
  groups: { name: string; rules: Rule[] }[];
}
interface AlertCheck {
  eval_time: string;
  alertname: string;
  exp_alerts?: unknown[];
}
interface Scenario {
  name: string;
  alert_rule_test?: AlertCheck[];
  [key: string]: unknown;
}
interface ScenariosFile {
  tests: Scenario[];
  [key: string]: unknown;
}

// The failsafe schema reads every scalar as a string, so series values such as `0x301` stay the
// promtool notation they are (the core schema would turn them into the hexadecimal number 769).
const parseYaml = <T>(text: string): T => YAML.parse(text, { schema: 'failsafe' }) as T;
const readRules = () => parseYaml<RulesFile>(readFileSync(path.join(RULES_DIR, RULES_FILE), 'utf8'));
const readScenarios = () => parseYaml<ScenariosFile>(readFileSync(path.join(RULES_DIR, SCENARIOS_FILE), 'utf8'));

function promtool(args: string[], cwd: string): { ok: boolean; output: string } {
  const run = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (run.error) throw run.error;
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

/** Run `promtool test rules` on a scenarios file and a rules file written to a scratch folder. */
function testRulesIn(rulesText: string, scenariosText: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'leaklab-promtool-'));
  try {
    writeFileSync(path.join(dir, RULES_FILE), rulesText);
    writeFileSync(path.join(dir, SCENARIOS_FILE), scenariosText);
    return promtool(['test', 'rules', SCENARIOS_FILE], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** "2h30m" → 150 (minutes); the only units the scenarios use are h, m and s. */
function minutes(duration: string): number {
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+)([hms])/g)) {
    total += Number(amount) * (unit === 'h' ? 60 : unit === 'm' ? 1 : 1 / 60);
  }
  return total;
}

const hasPromtool = spawnSync('promtool', ['--version']).error === undefined;
const required = process.env.LEAKLAB_REQUIRE_PROMTOOL === '1';
const skip = !hasPromtool && !required ? 'promtool is not installed (apt-get install -y prometheus); CI runs these tests' : false;

describe('memory alert rules under promtool', { skip }, () => {
  it('promtool is installed', () => {
    assert.ok(hasPromtool, 'promtool not found on PATH, and LEAKLAB_REQUIRE_PROMTOOL=1: install it with `apt-get install -y prometheus`');
  });

  it('promtool check rules accepts the rules file and finds every rule', () => {
    const { ok, output } = promtool(['check', 'rules', RULES_FILE], RULES_DIR);
    assert.ok(ok, output);
    const ruleCount = readRules().groups.flatMap((group) => group.rules).length;
    assert.match(output, new RegExp(`SUCCESS: ${ruleCount} rules found`));
  });

  it('promtool test rules passes every scenario', () => {
    const { ok, output } = promtool(['test', 'rules', SCENARIOS_FILE], RULES_DIR);
    assert.ok(ok, output);
    assert.match(output, /SUCCESS/);
  });

  it('every quiet scenario stays quiet at every minute, not only at its checkpoints', () => {
    const alertNames = readRules().groups.flatMap((group) => group.rules.map((rule) => rule.alert));
    const scenarios = readScenarios();
    const quiet = scenarios.tests.filter((scenario) => (scenario.alert_rule_test ?? []).every((check) => (check.exp_alerts ?? []).length === 0));
    assert.ok(quiet.length >= 5, `expected the healthy shapes to be quiet scenarios, found ${quiet.map((s) => s.name).join(', ')}`);
    for (const scenario of quiet) {
      const lastMinute = Math.max(...scenario.alert_rule_test!.map((check) => minutes(check.eval_time)));
      scenario.alert_rule_test = [];
      for (let minute = 0; minute <= lastMinute; minute++) {
        for (const alertname of alertNames) scenario.alert_rule_test.push({ eval_time: `${minute}m`, alertname, exp_alerts: [] });
      }
    }
    const dense = { ...scenarios, tests: quiet };
    const { ok, output } = testRulesIn(readFileSync(path.join(RULES_DIR, RULES_FILE), 'utf8'), YAML.stringify(dense));
    assert.ok(ok, `a quiet scenario fired between its checkpoints:\n${output.slice(0, 3000)}`);
  });

  describe('each design choice is guarded: breaking it makes a named scenario fail', () => {
    interface Breakage {
      /** What is broken, as a reader of the rules would say it. */
      what: string;
      alert: string;
      change: (rule: Rule) => void;
      /** The scenario that must catch it (promtool prints its name). */
      caughtBy: string;
    }
    /** Replace text in a rule's expression, failing loudly if the rules no longer contain it. */
    const replaceInExpr = (rule: Rule, from: string, to: string) => {
      const normalised = rule.expr.replace(/\s+/g, ' ');
      assert.ok(normalised.includes(from), `${rule.alert}'s expression no longer contains "${from}": update this breakage`);
      rule.expr = normalised.replace(from, to);
    };
    const breakages: Breakage[] = [
      {
        what: 'HeapNearLimit divides by heapTotal instead of the heap limit',
        alert: 'HeapNearLimit',
        change: (rule) => replaceInExpr(rule, '/ nodejs_heap_size_limit_bytes', '/ nodejs_heap_size_total_bytes'),
        caughtBy: 'big flat heap under the limit fires nothing',
      },
      {
        what: 'HeapNearLimit fires at once, without `for:`',
        alert: 'HeapNearLimit',
        change: (rule) => {
          delete rule.for;
        },
        caughtBy: 'one-off spike and step fire nothing',
      },
      {
        what: 'HeapNearLimit at 90% instead of 80%',
        alert: 'HeapNearLimit',
        change: (rule) => replaceInExpr(rule, '> 0.8', '> 0.9'),
        caughtBy: 'slow leak is caught by the growth rule hours before the limit rule',
      },
      {
        what: 'HeapPostGcGrowth on raw heapUsed instead of its post-GC floor',
        alert: 'HeapPostGcGrowth',
        change: (rule) => replaceInExpr(rule, 'deriv(min_over_time(nodejs_heap_size_used_bytes[10m])[1h:1m])', 'deriv(nodejs_heap_size_used_bytes[1h])'),
        caughtBy: 'taller sawtooth from more traffic fires nothing',
      },
      {
        what: 'HeapPostGcGrowth with `for:` shorter than its deriv window',
        alert: 'HeapPostGcGrowth',
        change: (rule) => {
          rule.for = '30m';
        },
        caughtBy: 'one-off spike and step fire nothing',
      },
      {
        what: 'HeapPostGcGrowth during the first hour of a process (warm-up)',
        alert: 'HeapPostGcGrowth',
        change: (rule) => replaceInExpr(rule, ' and (time() - process_start_time_seconds > 3600)', ''),
        caughtBy: 'healthy sawtooth with warm-up fires nothing over eight hours',
      },
      {
        what: 'HeapPostGcGrowth threshold doubled to 4% of the limit per hour',
        alert: 'HeapPostGcGrowth',
        change: (rule) => replaceInExpr(rule, '> 0.02', '> 0.04'),
        caughtBy: 'slow leak is caught by the growth rule hours before the limit rule',
      },
      {
        what: "OffHeapMemoryGrowth counts the heap's own growth as off-heap",
        alert: 'OffHeapMemoryGrowth',
        change: (rule) => replaceInExpr(rule, '- deriv(min_over_time(nodejs_heap_size_used_bytes[10m])[1h:1m])', ''),
        caughtBy: 'slow leak is caught by the growth rule hours before the limit rule',
      },
      {
        what: 'OffHeapMemoryGrowth with `for:` shorter than its deriv window',
        alert: 'OffHeapMemoryGrowth',
        change: (rule) => {
          rule.for = '30m';
        },
        caughtBy: 'one-off spike and step fire nothing',
      },
      {
        what: 'HeapLimitMetricMissing also fires for processes that export the limit',
        alert: 'HeapLimitMetricMissing',
        change: (rule) => replaceInExpr(rule, ' unless on(job, instance) nodejs_heap_size_limit_bytes', ''),
        caughtBy: 'healthy sawtooth with warm-up fires nothing over eight hours',
      },
      {
        what: 'HeapLimitMetricMissing fires at once, without `for:`',
        alert: 'HeapLimitMetricMissing',
        change: (rule) => {
          delete rule.for;
        },
        caughtBy: 'missing heap-limit gauge is reported instead of silence',
      },
    ];

    for (const breakage of breakages) {
      it(breakage.what, () => {
        const rules = readRules();
        const rule = rules.groups.flatMap((group) => group.rules).find((r) => r.alert === breakage.alert);
        assert.ok(rule, `no rule named ${breakage.alert}`);
        breakage.change(rule);
        // Only the scenario that must catch it runs: it alone has to fail, and promtool is quicker.
        const scenarios = readScenarios();
        const catching = scenarios.tests.filter((scenario) => scenario.name === breakage.caughtBy);
        assert.equal(catching.length, 1, `no scenario named "${breakage.caughtBy}"`);
        const { ok, output } = testRulesIn(YAML.stringify(rules), YAML.stringify({ ...scenarios, tests: catching }));
        assert.ok(!ok, `the scenarios still pass with this rule broken:\n${output}`);
        assert.ok(output.includes(`name: ${breakage.caughtBy},`), `expected "${breakage.caughtBy}" to fail; promtool said:\n${output.slice(0, 3000)}`);
      });
    }
  });
});
