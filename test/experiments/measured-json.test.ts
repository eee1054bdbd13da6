/**
 * The contract between the experiments and the course: every id the course may quote exists in
 * site/data/measured.json, names an experiment that exists (or says where a recorded observation
 * comes from), is checked by that experiment's test, and has a section on the experiments page.
 * And the other way round: every experiment backs at least one figure and has a test.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { EXPERIMENTS_DIR, PROJECT_ROOT, readMeasured } from './run-experiment.ts';

/** The ids the course pages were promised (the lead's list); none may disappear or be renamed. */
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
  'snapshot-blocks-ms', 'snapshot-memory-ratio', 'weakref-available', 'clinic-status',
  // Added when the detect/, production/, patterns/ and interview/ pages moved to <Measured />.
  'heapsnapshot-signal-writes', 'heapsnapshot-signal-unset', 'snapshot-file-mode', 'node-options-diagnostic-flags',
  'weakref-deref-same-job', 'weakref-deref-later-job', 'weakref-deref-keeps-target',
  'node-cache-full-error', 'node-cache-full-update', 'node-cache-maxkeys-default', 'pm2-heap-dump-option',
  'node-cache-clones-default', 'node-cache-sweep-timer',
  'inspector-default-address', 'inspector-sigusr1', 'oom-fatal-line', 'oom-last-few-gcs',
  'prom-cluster-heap-summed', 'slow-reader-backlog', 'slow-reader-destroy-close',
  'max-listeners-zero', 'snapshot-name-has-pid',
  'lru-cache-needs-bound', 'lru-cache-ttl-only-warning', 'lru-cache-evicts-lru', 'lru-cache-ttl-lazy',
  'clinic-doctor-newer-node',
];

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

test('every entry has a display, a claim, a kind, a value and the Node version it was measured on', () => {
  for (const [id, entry] of Object.entries(measured)) {
    assert.ok(typeof entry.display === 'string' && entry.display.trim() !== '', `${id}: display`);
    assert.ok(typeof entry.claim === 'string' && entry.claim.length > 20, `${id}: claim is a sentence`);
    assert.ok(entry.kind === 'text' || entry.kind === 'figure', `${id}: kind is text or figure`);
    assert.ok(entry.value !== undefined, `${id}: value`);
    assert.equal(entry.node, '20.20.2', `${id}: node`);
    // A quoted message is shown exactly as measured.
    if (entry.kind === 'text' && typeof entry.value === 'string') assert.equal(entry.display, entry.value, `${id}: text shown as measured`);
  }
});

test('every id names an existing experiment, or a documented source when no experiment is possible', () => {
  for (const [id, entry] of Object.entries(measured)) {
    if (entry.experiment === null) {
      assert.match(entry.source ?? '', /^FACTS #\d+$/, `${id}: a recorded observation names its FACTS row`);
      continue;
    }
    assert.ok(experiments.includes(entry.experiment), `${id}: scripts/experiments/${entry.experiment}.ts exists`);
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

test('the experiments page has a section for every experiment and every recorded observation', () => {
  const page = readFileSync(PAGE, 'utf8');
  const anchors = new Set([
    ...experiments,
    ...Object.entries(measured).filter(([, entry]) => entry.experiment === null).map(([id]) => id),
  ]);
  for (const anchor of anchors) {
    // Starlight turns "## array-fill-size" into id="array-fill-size", the anchor <Measured /> links to.
    assert.ok(page.includes(`\n## ${anchor}\n`), `experiments.mdx has "## ${anchor}"`);
  }
});
