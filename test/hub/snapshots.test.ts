/**
 * The snapshot tools on real V8 output: a child process leaks 5,000 LeakedRecord objects into a
 * module-level array between two heap snapshots. The comparison must name LeakedRecord as the top
 * growing constructor and the retainer path must lead from a root through that array to a record,
 * pointing at the line that declares the array.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  HeapGraph,
  SnapshotFormatError,
  analyseSnapshots,
  compareSnapshots,
  findInSources,
  foldRepeats,
  pathInOneLine,
  topGrowingConstructor,
  type RetainerStep,
} from '../../kit/snapshots/index.ts';

const fixture = new URL('./fixtures/leaked-records.ts', import.meta.url).pathname;
let dir = '';
let baselineText = '';
let laterText = '';
let fixtureText = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leaklab-snapshots-'));
  const baseline = join(dir, 'baseline.heapsnapshot');
  const later = join(dir, 'later.heapsnapshot');
  await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture, baseline, later, '5000'], { timeout: 30_000 });
  [baselineText, laterText, fixtureText] = await Promise.all([readFile(baseline, 'utf8'), readFile(later, 'utf8'), readFile(fixture, 'utf8')]);
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('parsing a .heapsnapshot', () => {
  it('reads nodes, edges and class names from the meta description', () => {
    const graph = HeapGraph.parse(laterText);
    assert.ok(graph.nodeCount > 10_000, `expected a real heap, got ${graph.nodeCount} nodes`);
    assert.equal(graph.type(0), 'synthetic', 'node 0 is the synthetic root');
    let records = 0;
    for (let n = 0; n < graph.nodeCount; n++) if (graph.className(n) === 'LeakedRecord') records++;
    assert.equal(records, 5001, 'the warm-up record plus the 5,000 leaked ones');
  });

  it('rejects text that is not a heap snapshot, with a reason', () => {
    assert.throws(() => HeapGraph.parse('{"nodes": []}'), SnapshotFormatError);
    assert.throws(() => HeapGraph.parse('not json'), /not valid JSON/);
  });
});

describe('comparing two snapshots by constructor', () => {
  it('names LeakedRecord as the top growing constructor with 5,000 new objects', () => {
    const comparison = compareSnapshots(HeapGraph.parse(baselineText), HeapGraph.parse(laterText));
    const top = topGrowingConstructor(comparison);
    assert.equal(top?.name, 'LeakedRecord');
    assert.equal(top?.added, 5000);
    assert.equal(top?.deleted, 0);
    assert.equal(top?.countDelta, 5000);
    assert.ok(top!.sizeDelta >= 5000 * 16, `size delta ${top!.sizeDelta} B is at least 16 B per record`);
  });

  it('finds no growth when a snapshot is compared with itself', () => {
    const graph = HeapGraph.parse(baselineText);
    const comparison = compareSnapshots(graph, graph);
    assert.equal(topGrowingConstructor(comparison), undefined);
    assert.ok(comparison.rows.every((row) => row.countDelta === 0 && row.added === 0 && row.deleted === 0));
  });
});

describe('retainer path', () => {
  it('leads from a root through the module-level array to a LeakedRecord, linked to its declaration', () => {
    const analysis = analyseSnapshots(baselineText, laterText, { sources: [{ file: 'leaked-records.ts', text: fixtureText }] });
    const path = analysis.path;
    assert.ok(path && path.length >= 2, 'a path was found');
    assert.equal(path.at(-1)!.className, 'LeakedRecord');
    assert.equal(path.at(-2)!.className, 'Array');
    assert.equal(path.at(-2)!.edgeName, 'leakedRecords', 'the array is reached through the variable that holds it');
    assert.equal(path[0]!.nodeType, 'synthetic', 'the path starts at a GC root');
    const declared = path.at(-2)!.source;
    assert.equal(declared?.file, 'leaked-records.ts');
    assert.match(declared!.text, /const leakedRecords/);
    assert.match(analysis.pathLine!, /`leakedRecords` \(Array\) → \[\d+\] LeakedRecord$/);
  });

  it('links a variable to its declaration or parameter and a property to its key, never to a mere use', () => {
    const text = [
      "import { Server } from 'socket.io';", // 1: 'socket' appears, but is not declared here
      'cache[id] = user;', // 2: a use
      'const cache = {};', // 3
      "io.on('connection', (socket) => {", // 4
      '  const update: unknown = req.body;', // 5: a variable named like the bus event
      "  bus.on('update', send);", // 6
      '  const session = { trail: new Float64Array(8) };', // 7
    ].join('\n');
    const sources = [{ file: 'server.ts', text }];
    const table: [string, 'variable' | 'property', number | undefined][] = [
      ['cache', 'variable', 3],
      ['socket', 'variable', 4],
      ['trail', 'property', 7],
      ['update', 'property', undefined], // the listeners' key in _events: not declared in this file
      ['user', 'variable', undefined],
      ['not an identifier', 'variable', undefined],
    ];
    for (const [name, kind, line] of table) assert.equal(findInSources(name, sources, kind)?.line, line, `${kind} ${name}`);
  });
});

describe('folding a chain', () => {
  const step = (edgeType: string, edgeName: string | number, className: string): RetainerStep => ({
    edgeType,
    edgeName,
    className,
    nodeType: 'object',
    nodeName: className,
    nodeId: 1,
    selfSize: 8,
    words: `${edgeName} → ${className}`,
  });
  const link = [step('property', 'lookup', '(closure)'), step('internal', 'context', 'system / Context'), step('context', 'previous', 'Object')];

  it('folds links that repeat into one step with the count, as in a chain of price tables', () => {
    const steps = [step('context', 'current', 'Object'), ...link, ...link, ...link, ...link, step('context', 'table', 'Map')];
    const folded = foldRepeats(steps);
    assert.equal(folded.length, 1 + 3 + 1 + 1);
    assert.match(folded[4]!.words, /the same 3 links 3 more times/);
    assert.match(pathInOneLine(folded), /`previous` \(Object\) → \(… ×3\) → `table` \(Map\)$/);
  });

  it('leaves short paths and twice-repeated links alone', () => {
    const steps = [step('context', 'current', 'Object'), ...link, ...link];
    assert.deepEqual(foldRepeats(steps), steps);
  });
});
