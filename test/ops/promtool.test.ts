/**
 * The memory alert rules (ops/prometheus/leaklab-alerts.yml) checked by Prometheus's own tool:
 * `promtool check rules` (syntax, PromQL) and `promtool test rules` on
 * leaklab-alerts.recorded.test.yml: series scraped from real Node processes (a leak until the crash
 * on each Node line, a slow leak, a Buffer leak, healthy shapes), with what each rule must fire and
 * what it must never fire at any minute (scripts/experiments/alert-series/).
 *
 * Beyond what the scenario file checks on its own:
 * - the file holds every scenario of scenarios.ts, each recorded on its Node line;
 * - each design choice of the rules is broken on purpose (the old "heapUsed / heap limit" rule,
 *   heapTotal as denominator, no `for:`, no post-GC floor, ...) and a named scenario must then
 *   fail, so the scenarios are known to guard it.
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
import { SCENARIOS, instanceLabel } from '../../scripts/experiments/alert-series/scenarios.ts';

const RULES_DIR = path.resolve(import.meta.dirname, '..', '..', 'ops', 'prometheus');
const RULES_FILE = 'leaklab-alerts.yml';
const SCENARIOS_FILE = 'leaklab-alerts.recorded.test.yml';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  [key: string]: unknown;
}
interface RulesFile {
  groups: { name: string; rules: Rule[] }[];
}
interface ExpressionCheck {
  expr: string;
  eval_time: string;
  exp_samples: unknown[];
}
interface Scenario {
  name: string;
  promql_expr_test: ExpressionCheck[];
  [key: string]: unknown;
}
interface ScenariosFile {
  tests: Scenario[];
  [key: string]: unknown;
}

// The recorded file writes every series' values as a string (quoted where YAML would read a number),
// and expected sample values as numbers, so the default schema reads both as promtool does.
const parseYaml = <T>(text: string): T => YAML.parse(text) as T;
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

  it('holds every scenario of scenarios.ts, each recorded from a process on its Node line', () => {
    const recorded = readScenarios().tests.map((test) => test.name);
    assert.deepEqual(recorded, SCENARIOS.map((scenario) => scenario.name));
    const header = readFileSync(path.join(RULES_DIR, SCENARIOS_FILE), 'utf8');
    for (const scenario of SCENARIOS) {
      assert.match(header, new RegExp(`^# {3}${scenario.name}: Node ${scenario.node}\\.\\d+\\.\\d+ `, 'm'), `${scenario.name} was recorded on Node ${scenario.node}`);
    }
  });

  it('every check that an alert stays silent covers every minute from the start, not a checkpoint', () => {
    for (const test of readScenarios().tests) {
      for (const check of test.promql_expr_test.filter((c) => c.exp_samples.length === 0)) {
        const window = /^count_over_time\(.*\[(\d+)m\]\)$/.exec(check.expr)?.[1];
        assert.ok(window, `${test.name}: a silent check counts firing over a window: ${check.expr}`);
        assert.equal(Number(window), parseInt(check.eval_time, 10) + 1, `${test.name}: ${check.expr} at ${check.eval_time} starts at minute 0`);
      }
    }
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
        what: 'HeapNearLimit as "heapUsed above 80% of the heap limit", the rule this course used to teach',
        alert: 'HeapNearLimit',
        change: (rule) => {
          rule.expr = 'nodejs_heap_size_used_bytes / nodejs_heap_size_limit_bytes > 0.8';
        },
        caughtBy: 'leak until the crash pages first on Node 24',
      },
      {
        what: 'HeapNearLimit divides by heapTotal instead of the old generation limit',
        alert: 'HeapNearLimit',
        change: (rule) => replaceInExpr(rule, '/ nodejs_heap_old_generation_limit_bytes', '/ on (job, instance) nodejs_heap_size_total_bytes'),
        caughtBy: 'one-off spike and step fire nothing',
      },
      {
        what: 'HeapNearLimit fires at once, without `for:`',
        alert: 'HeapNearLimit',
        change: (rule) => {
          delete rule.for;
        },
        caughtBy: 'big flat heap under the limit fires nothing',
      },
      {
        what: 'HeapPostGcGrowth on raw heapUsed instead of the floor of the old generation',
        alert: 'HeapPostGcGrowth',
        change: (rule) => replaceInExpr(rule, 'deriv(min_over_time(nodejs_heap_old_generation_used_bytes[10m])[1h:1m])', 'deriv(nodejs_heap_size_used_bytes[1h])'),
        caughtBy: 'slow leak is caught by the growth rule long before the limit',
      },
      {
        what: 'HeapPostGcGrowth with `for:` as short as its deriv window',
        alert: 'HeapPostGcGrowth',
        change: (rule) => {
          rule.for = '1h';
        },
        caughtBy: 'rising traffic with a flat working set fires nothing',
      },
      {
        what: 'HeapPostGcGrowth with a 30-minute `for:`',
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
        caughtBy: 'rising traffic with a flat working set fires nothing',
      },
      {
        what: 'HeapPostGcGrowth threshold raised to 6% of the limit per hour',
        alert: 'HeapPostGcGrowth',
        change: (rule) => replaceInExpr(rule, '> 0.02', '> 0.06'),
        caughtBy: 'slow leak is caught by the growth rule long before the limit',
      },
      {
        what: 'OffHeapMemoryGrowth counts the growth of the heap V8 holds as off-heap',
        alert: 'OffHeapMemoryGrowth',
        change: (rule) => replaceInExpr(rule, '- deriv(min_over_time(nodejs_heap_size_total_bytes[10m])[1h:1m])', ''),
        caughtBy: 'rising traffic with a flat working set fires nothing',
      },
      {
        what: 'OffHeapMemoryGrowth with `for:` as short as its deriv window',
        alert: 'OffHeapMemoryGrowth',
        change: (rule) => {
          rule.for = '1h';
        },
        caughtBy: 'rising traffic with a flat working set fires nothing',
      },
      {
        what: 'OffHeapMemoryGrowth with a 30-minute `for:`',
        alert: 'OffHeapMemoryGrowth',
        change: (rule) => {
          rule.for = '30m';
        },
        caughtBy: 'healthy service with a cache warming up fires nothing over eight hours',
      },
      {
        what: 'HeapLimitMetricMissing also fires for processes that export the limit',
        alert: 'HeapLimitMetricMissing',
        change: (rule) => replaceInExpr(rule, ' unless on(job, instance) nodejs_heap_old_generation_limit_bytes', ''),
        caughtBy: 'healthy service with a cache warming up fires nothing over eight hours',
      },
      {
        what: 'HeapLimitMetricMissing fires at once, without `for:`',
        alert: 'HeapLimitMetricMissing',
        change: (rule) => {
          delete rule.for;
        },
        caughtBy: 'a process started without a heap limit is reported instead of silence',
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
        // promtool names the failing check by its expression, which names the scenario's instance.
        assert.ok(output.includes(`instance=\\"${instanceLabel(breakage.caughtBy)}\\"`), `expected "${breakage.caughtBy}" to fail; promtool said:\n${output.slice(0, 3000)}`);
      });
    }
  });
});
