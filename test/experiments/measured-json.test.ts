/**
 * The contract between the experiments and the course: every id the course may quote exists in
 * site/data/measured.json, names an experiment that exists, is checked by that experiment's test,
 * and has a section on the experiments page; a figure that differs between Node lines has one
 * record per line, each naming the exact version measured. And the other way round: every
 * experiment backs at least one figure and has a test.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXPERIMENTS_DIR, PROJECT_ROOT, readMeasured } from './run-experiment.ts';

/** The ids the course pages quote; none may disappear or be renamed without the pages changing. */
const PROMISED_IDS = [
  'array-fill-mb', 'arrays-to-1gib', 'heap-limit-default-mib', 'heap-limit-flag',
  'max-listeners-default', 'max-listeners-warning-text', 'max-listeners-per-event',
  'weakmap-error-text', 'closure-unused-mib', 'closure-used-mib', 'closure-sibling-mib', 'closure-eval',
  'closures-index-mib', 'closures-forof-mib', 'closures-empty-mib',
  'gc-near-limit-pause-ms', 'gc-near-limit-mu', 'gc-near-limit-abort-text',
  'snapshot-near-limit', 'heap-prof-on-oom',
  'prom-heap-used-metric', 'prom-default-metrics', 'prom-no-heap-limit', 'heapused-all-spaces',
  'close-events-get', 'close-events-post',
  'socketio-socket-listeners-freed', 'socketio-bus-listener-retained', 'socketio-map-by-id-retained',
  'socketio-id-is-string', 'weakmap-by-socket-freed',
  'socketio-ping-interval-ms', 'socketio-ping-timeout-ms', 'socketio-dead-client-drop-s',
  'snapshot-blocks-ms', 'snapshot-memory-ratio', 'weakref-available',
  'heapsnapshot-signal-writes', 'heapsnapshot-signal-unset', 'snapshot-file-mode', 'node-options-diagnostic-flags',
  'weakref-deref-same-job', 'weakref-deref-later-job', 'weakref-deref-keeps-target',
  'node-cache-full-error', 'node-cache-full-update', 'node-cache-maxkeys-default',
  'node-cache-clones-default', 'node-cache-sweep-timer',
  'inspector-default-address', 'inspector-sigusr1', 'oom-fatal-line', 'oom-last-few-gcs',
  'prom-cluster-heap-summed', 'slow-reader-backlog', 'slow-reader-destroy-close',
  'max-listeners-zero', 'snapshot-name-has-pid',
  'lru-cache-needs-bound', 'lru-cache-ttl-only-warning', 'lru-cache-evicts-lru', 'lru-cache-ttl-lazy',
  // The Node-lines issue and the course corrections.
  'near-limit-raised-limit', 'heap-used-of-limit-at-crash', 'old-generation-of-cap-at-crash',
  'young-generation-reserve', 'semi-space-flag', 'old-space-percentage-flag', 'constrained-memory',
  'sampling-keeps-live', 'sampling-with-collected', 'heap-prof-endings', 'allocation-tracking-cost',
  'oom-exit-status', 'killed-exit-status',
];

/** The Node lines every per-line entry must cover. */
const NODE_LINES = ['20', '22', '24', '26'];
const EXACT_VERSION = /^\d+\.\d+\.\d+$/;

const TEST_DIR = `${PROJECT_ROOT}test/experiments/`;
const PAGE = `${PROJECT_ROOT}site/content/docs/reference/experiments.mdx`;
const measured = readMeasured();

/** Experiment stems: the runnable files in scripts/experiments/, without the helpers and the runner. */
const experiments = readdirSync(EXPERIMENTS_DIR)
  .filter((name) => name.endsWith('.ts') && name !== 'run-all.ts')
  .map((name) => name.slice(0, -'.ts'.length));

test('every promised id is in measured.json', () => {
  const missing = PROMISED_IDS.filter((id) => !(id in measured));
  assert.deepEqual(missing, []);
});

test('every entry has a claim, an experiment that exists and a kind', () => {
  for (const [id, entry] of Object.entries(measured)) {
    assert.ok(typeof entry.claim === 'string' && entry.claim.length > 20, `${id}: claim is a sentence`);
    assert.ok(entry.kind === 'text' || entry.kind === 'figure', `${id}: kind is text or figure`);
    assert.ok(experiments.includes(entry.experiment), `${id}: scripts/experiments/${entry.experiment}.ts exists`);
  }
});

test('an entry is one figure measured on named versions, or one record per Node line', () => {
  for (const [id, entry] of Object.entries(measured)) {
    if (entry.byNode) {
      assert.equal(entry.display, undefined, `${id}: a per-line entry keeps its display in byNode`);
      assert.deepEqual(Object.keys(entry.byNode).sort(), NODE_LINES, `${id}: one record for each of Node ${NODE_LINES.join(', ')}`);
      for (const [line, record] of Object.entries(entry.byNode)) {
        assert.match(record.node, EXACT_VERSION, `${id}: byNode.${line}.node is an exact version`);
        assert.equal(record.node.split('.')[0], line, `${id}: byNode.${line} was measured on Node ${line}`);
        assert.ok(typeof record.display === 'string' && record.display.trim() !== '', `${id}: byNode.${line}.display`);
        assert.ok('value' in record, `${id}: byNode.${line}.value`);
        if (entry.kind === 'text') assert.equal(record.display, record.value, `${id}: byNode.${line}: text shown as measured`);
      }
      // A per-line entry exists because the lines differ: otherwise one figure says it better.
      assert.ok(new Set(Object.values(entry.byNode).map((record) => record.display)).size > 1, `${id}: every line shows the same, use one figure`);
    } else {
      assert.ok(typeof entry.display === 'string' && entry.display.trim() !== '', `${id}: display`);
      assert.ok(entry.value !== undefined, `${id}: value`);
      assert.ok(Array.isArray(entry.nodes) && entry.nodes.length > 0, `${id}: nodes lists the versions measured`);
      for (const version of entry.nodes) assert.match(version, EXACT_VERSION, `${id}: ${version} is an exact version`);
      assert.deepEqual(entry.nodes.map((version) => version.split('.')[0]).sort(), NODE_LINES, `${id}: measured on every line`);
      // A quoted message is shown exactly as measured.
      if (entry.kind === 'text' && typeof entry.value === 'string') assert.equal(entry.display, entry.value, `${id}: text shown as measured`);
    }
  }
});

test('every experiment backs a figure and has a test that checks each of its ids', () => {
  for (const stem of experiments) {
    const ids = Object.entries(measured).filter(([, entry]) => entry.experiment === stem).map(([id]) => id);
    assert.ok(ids.length > 0, `${stem} backs at least one id`);
    const testFile = `${TEST_DIR}${stem}.test.ts`;
    assert.ok(existsSync(testFile), `test/experiments/${stem}.test.ts exists`);
    const source = readFileSync(testFile, 'utf8');
    for (const id of ids) assert.ok(source.includes(`'${id}'`), `${stem}.test.ts checks ${id}`);
  }
});

test('the experiments page has a section for every experiment', () => {
  const page = readFileSync(PAGE, 'utf8');
  for (const stem of experiments) {
    // Starlight turns "## array-fill-size" into id="array-fill-size", the anchor <Measured /> links to.
    assert.ok(page.includes(`\n## ${stem}\n`), `experiments.mdx has "## ${stem}"`);
  }
});

/** Every file under `dir` (relative to the project root) whose name ends with one of `endings`. */
function filesUnder(dir: string, endings: string[]): string[] {
  return readdirSync(join(PROJECT_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => endings.some((ending) => name.endsWith(ending)))
    .map((name) => join(dir, name));
}

test('the project cites only itself, no outside notes: course, labs, kit, hub, CLI, scripts and tests', () => {
  // The evidence for a figure is its experiment; a reference to notes kept elsewhere (a numbered row
  // of a notes file) means nothing to a learner or a contributor with only this repository.
  const kinds = ['.mdx', '.md', '.ts', '.astro', '.json', '.yml', '.patch'];
  const files = [
    ...['site', 'labs', 'solutions', 'kit', 'hub', 'cli', 'scripts', 'test', 'ops'].flatMap((dir) => filesUnder(dir, kinds)),
    'README.md',
    'ARCHITECTURE.md',
  ];
  const marker = new RegExp(`${'FACTS'} #|${'facts'} sheet`, 'i');
  const citing = files.filter((file) => marker.test(readFileSync(join(PROJECT_ROOT, file), 'utf8')));
  assert.deepEqual(citing, []);
});
