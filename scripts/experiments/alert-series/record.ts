/**
 * Record the metric series of real processes for the alert rules' promtool tests. For each scenario
 * (scenarios.ts) it starts service.ts on the scenario's Node line with its flags, and once per
 * scenario-minute asks it to do that minute's work and scrapes its /metrics over HTTP, as
 * Prometheus would, until the plan ends or the process dies. The series go, with the checks each
 * scenario makes, into ops/prometheus/leaklab-alerts.recorded.test.yml.
 *
 *   node --import tsx scripts/experiments/alert-series/record.ts            # every scenario
 *   node --import tsx scripts/experiments/alert-series/record.ts --only crash
 *   node --import tsx scripts/experiments/alert-series/record.ts --checks-only   # keep the series, rewrite the checks
 *
 * Node lines other than the running one are found as scripts/experiments/lib/node-lines.ts says.
 * A recording takes a few minutes; the file is committed, and the tests only replay it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { resolveNodeLine, type NodeLine } from '../lib/node-lines.ts';
import { PROJECT_ROOT } from '../lib/output-dir.ts';
import { SCENARIOS, instanceLabel, type Scenario } from './scenarios.ts';

const SERVICE = fileURLToPath(new URL('./service.ts', import.meta.url));
const RULES = `${PROJECT_ROOT}ops/prometheus/leaklab-alerts.yml`;
const OUTPUT = `${PROJECT_ROOT}ops/prometheus/leaklab-alerts.recorded.test.yml`;

/** The series the rules read (and the breakage tests swap in), by metric name. */
const RECORDED = [
  'nodejs_heap_size_used_bytes',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_limit_bytes',
  'nodejs_heap_old_generation_limit_bytes',
  'nodejs_heap_space_size_used_bytes',
  'process_resident_memory_bytes',
  'process_start_time_seconds',
];

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<string>;
}

/** Start the service on `line` with the scenario's flags and plan; resolve once it listens. */
function startService(line: NodeLine, scenario: Scenario): Promise<Running> {
  const child = spawn(line.executable, [...scenario.flags, '--import', 'tsx', SERVICE], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_OPTIONS: '', LEAKLAB_ALERT_PLAN: JSON.stringify(scenario.plan) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(`${signal ?? code}: ${/FATAL ERROR: .*/.exec(stderr)?.[0] ?? stderr.slice(-300)}`)));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const port = /listening (\d+)/.exec(chunk)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}`, exited });
    });
    void exited.then((how) => reject(new Error(`the service ended before listening (${how})`)));
  });
}

/** One scrape: the recorded series of the exposition text, by series (name and labels). */
function parseScrape(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    const series = line.slice(0, cut);
    if (RECORDED.includes(series.split('{')[0]!)) samples.set(series, Number(line.slice(cut + 1)));
  }
  return samples;
}

interface Recording {
  version: string;
  /** Per scenario-minute: series → value; the minute the process started for process_start_time_seconds. */
  minutes: Array<Map<string, number>>;
  /** How the last process ended, if it died before the plan ended. */
  died: string | null;
}

async function record(scenario: Scenario): Promise<Recording> {
  const line = resolveNodeLine(scenario.node);
  let service = await startService(line, scenario);
  let startedAt = 0;
  const minutes: Array<Map<string, number>> = [];
  let died: string | null = null;
  try {
    for (let minute = 0; minute < scenario.plan.minutes; minute++) {
      if (minute === scenario.restartAt) {
        service.child.kill('SIGTERM');
        await service.exited;
        service = await startService(line, scenario);
        startedAt = minute;
      }
      try {
        const tick = await fetch(`${service.url}/tick?minute=${minute - startedAt}`, { method: 'POST' });
        if (!tick.ok) throw new Error(`tick answered ${tick.status}`);
        const samples = parseScrape(await (await fetch(`${service.url}/metrics`)).text());
        // Scenario time: the process started at minute `startedAt`, minute 0 being time 0.
        samples.set('process_start_time_seconds', startedAt * 60);
        minutes.push(samples);
      } catch (error) {
        died = await Promise.race([service.exited, new Promise<string>((resolve) => setTimeout(() => resolve(`no answer: ${String(error)}`), 5_000))]);
        break;
      }
    }
  } finally {
    service.child.kill('SIGKILL');
  }
  return { version: line.version, minutes, died };
}

/** promtool's series notation for a list of values: equal neighbours as `axn` (a, n more times). */
function promtoolValues(values: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let run = 1;
    while (values[i + run] === values[i]) run++;
    parts.push(run === 1 ? String(values[i]) : `${values[i]}x${run - 1}`);
    i += run;
  }
  return parts.join(' ');
}

/** The alert rules' severity labels, which ALERTS series carry. */
function severities(): Map<string, string> {
  const rules = YAML.parse(readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Array<{ alert?: string; labels?: { severity: string } }> }> };
  // Recording rules have no alert name and no severity.
  return new Map(rules.groups.flatMap((group) => group.rules.flatMap((rule) => (rule.alert ? [[rule.alert, rule.labels!.severity] as const] : []))));
}

/** One promtool test: the recorded series and the scenario's checks. */
function promtoolTest(scenario: Scenario, recording: Recording, severity: Map<string, string>): Record<string, unknown> {
  const instance = instanceLabel(scenario.name);
  const labels = `job="api", instance="${instance}"`;
  const seriesNames = [...new Set(recording.minutes.flatMap((samples) => [...samples.keys()]))].sort();
  const inputSeries = seriesNames
    .map((name) => ({ name, values: recording.minutes.map((samples) => samples.get(name)) }))
    // A heap space that is empty throughout (one this line does not use) adds nothing.
    .filter(({ name, values }) => !name.startsWith('nodejs_heap_space_') || values.some((value) => value !== 0))
    .map(({ name, values }) => {
      if (values.some((value) => value === undefined)) throw new Error(`${scenario.name}: ${name} is missing from some scrapes`);
      const [metric, existing] = name.includes('{') ? [name.slice(0, name.indexOf('{')), name.slice(name.indexOf('{') + 1, -1)] : [name, ''];
      return { series: `${metric}{${existing ? `${existing}, ` : ''}${labels}}`, values: promtoolValues(values as number[]) };
    });
  const lastMinute = recording.minutes.length - 1;
  const firing = (alert: string) => `ALERTS{alertname="${alert}", alertstate="firing", instance="${instance}"}`;
  const checks = [
    ...scenario.fires.map(({ alert, by }) => {
      const end = by === 'end' ? lastMinute : by;
      // Fired at least once from the start up to that minute.
      return {
        expr: `max_over_time(${firing(alert)}[${end + 1}m])`,
        eval_time: `${end}m`,
        exp_samples: [{ labels: `{alertname="${alert}", alertstate="firing", instance="${instance}", job="api", severity="${severity.get(alert)}"}`, value: 1 }],
      };
    }),
    ...scenario.silent.map(({ alert, until }) => {
      const end = until ?? lastMinute;
      // Counted over every evaluation from the start: never firing at any minute, not only at checkpoints.
      return { expr: `count_over_time(${firing(alert)}[${end + 1}m])`, eval_time: `${end}m`, exp_samples: [] };
    }),
  ];
  return { name: scenario.name, interval: '1m', input_series: inputSeries, promql_expr_test: checks };
}

const { values: options } = parseArgs({ options: { only: { type: 'string' }, 'checks-only': { type: 'boolean', default: false } } });
const chosen = SCENARIOS.filter((scenario) => !options.only || scenario.name.includes(options.only));
const severity = severities();

// Keep the scenarios not re-recorded this time, so --only refreshes one without losing the rest.
const previousText = (() => {
  try {
    return readFileSync(OUTPUT, 'utf8');
  } catch {
    return '';
  }
})();
const previous = (previousText ? YAML.parse(previousText) : { tests: [] }) as { tests: Array<{ name: string }> };
const tests = new Map(previous.tests.map((test) => [test.name, test]));
// "#   <scenario name>: Node <version> ..." lines of the previous header, by scenario name.
const provenanceByName = new Map(
  [...previousText.matchAll(/^# {3}(.+?): Node .*$/gm)].map((match) => [match[1]!, match[0].slice('#   '.length)] as const),
);
/** A recording rebuilt from the series already in the file, for --checks-only. */
function recordingFromFile(test: { input_series: Array<{ series: string; values: string }> }): Recording {
  const expand = (values: string) =>
    values.split(' ').flatMap((token) => {
      const [value, repeats] = token.split('x');
      return new Array<number>(repeats === undefined ? 1 : Number(repeats) + 1).fill(Number(value));
    });
  const byName = test.input_series.map(({ series, values }) => [series.replace(/(, )?job="api", instance="[^"]*"/, '').replace('{}', ''), expand(String(values))] as const);
  const length = Math.max(...byName.map(([, values]) => values.length));
  const minutes = Array.from({ length }, (_, minute) => new Map(byName.filter(([, values]) => minute < values.length).map(([name, values]) => [name, values[minute]!])));
  return { version: 'from the file', minutes, died: null };
}

for (const scenario of chosen) {
  const started = performance.now();
  let recording: Recording;
  if (options['checks-only']) {
    const existing = tests.get(scenario.name) as unknown as { input_series: Array<{ series: string; values: string }> } | undefined;
    if (!existing) throw new Error(`${scenario.name} is not in ${OUTPUT}: record it first`);
    tests.set(scenario.name, promtoolTest(scenario, recordingFromFile(existing), severity) as { name: string });
    continue;
  }
  try {
    recording = await record(scenario);
  } catch (error) {
    process.stderr.write(`${scenario.name}: not recorded, ${(error as Error).message}\n`);
    process.exitCode = 1;
    continue;
  }
  tests.set(scenario.name, promtoolTest(scenario, recording, severity) as { name: string });
  const summary = `${scenario.name}: Node ${recording.version} ${scenario.flags.join(' ') || '(no heap flag)'}, ${recording.minutes.length} minutes` +
    (recording.died ? `, then died (${recording.died})` : '');
  provenanceByName.set(scenario.name, summary);
  process.stderr.write(`${summary} [${Math.round((performance.now() - started) / 1000)} s]\n`);
}

const ordered = SCENARIOS.map((scenario) => tests.get(scenario.name)).filter((test) => test !== undefined);
const provenance = SCENARIOS.map((scenario) => provenanceByName.get(scenario.name)).filter((line) => line !== undefined);
const header = `# Generated by scripts/experiments/alert-series/record.ts: do not edit by hand, re-record.
# Every series below was scraped from a real Node process (scripts/experiments/alert-series/service.ts)
# serving kit/metrics.ts, once per scenario-minute: the process did one minute of work, then was
# scraped. What each scenario is and which alerts it must (or must never) fire: scenarios.ts.
# How each was recorded:
${provenance.map((line) => `#   ${line}`).join('\n')}
#
#   promtool test rules leaklab-alerts.recorded.test.yml
`;
writeFileSync(OUTPUT, header + YAML.stringify({ rule_files: ['leaklab-alerts.yml'], evaluation_interval: '1m', tests: ordered }, { lineWidth: 0 }));
process.stderr.write(`wrote ${OUTPUT}\n`);
