/**
 * The snapshot tools on real V8 output: a child process leaks 5,000 LeakedRecord objects into a
 * module-level array between two heap snapshots. The file reader must give exactly what JSON.parse
 * gives; the comparison must name LeakedRecord as the top growing constructor and the retainer path
 * must lead from a root through that array to a record, pointing at the line that declares the array.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  HeapGraph,
  SnapshotFormatError,
  analyseSnapshotFiles,
  chooseExplained,
  compareSnapshots,
  describePath,
  findInSources,
  foldRepeats,
  growingConstructors,
  pathInOneLine,
  readSnapshotFile,
  summarise,
  type AnalysisProgress,
  type ConstructorDelta,
  type Explained,
  type PathStep,
} from '../../kit/snapshots/index.ts';

const fixture = new URL('./fixtures/leaked-records.ts', import.meta.url).pathname;
let dir = '';
let baselinePath = '';
let laterPath = '';
let baselineText = '';
let laterText = '';
let fixtureText = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leaklab-snapshots-'));
  baselinePath = join(dir, 'baseline.heapsnapshot');
  laterPath = join(dir, 'later.heapsnapshot');
  await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture, baselinePath, laterPath, '5000']);
  [baselineText, laterText, fixtureText] = await Promise.all([readFile(baselinePath, 'utf8'), readFile(laterPath, 'utf8'), readFile(fixture, 'utf8')]);
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

  // Small chunks put a chunk boundary inside numbers, strings and escapes all through the file.
  for (const chunk of [1 << 20, 4096, 61]) {
    it(`reads a file in ${chunk}-byte chunks into exactly what JSON.parse reads`, () => {
      const parsed = readSnapshotFile(laterPath, undefined, chunk);
      const whole = JSON.parse(laterText) as { nodes: number[]; edges: number[]; strings: string[]; locations: number[] };
      assert.ok(laterText.length > 2 * 1024 * 1024, 'the file spans several chunks');
      assert.ok(whole.strings.some((s) => /["\\\n]/.test(s)), 'the file has strings with escapes');
      assert.deepEqual(Array.from(parsed.nodes), whole.nodes);
      assert.deepEqual(Array.from(parsed.edges), whole.edges);
      assert.deepEqual(parsed.strings, whole.strings);
      assert.deepEqual(Array.from(parsed.locations ?? []), whole.locations);
    });
  }

  it('rejects text that is not a heap snapshot, with a reason', () => {
    assert.throws(() => HeapGraph.parse('{"nodes": []}'), SnapshotFormatError);
    assert.throws(() => HeapGraph.parse('not json'), /not a V8 heap snapshot/);
    assert.throws(() => HeapGraph.parse(''), /empty/);
  });

  it('says a file cut short is truncated', async () => {
    const cut = join(dir, 'cut.heapsnapshot');
    await writeFile(cut, laterText.slice(0, Math.floor(laterText.length / 2)));
    assert.throws(() => readSnapshotFile(cut), /truncated/);
  });
});

describe('comparing two snapshots by constructor', () => {
  it('names LeakedRecord as the top growing constructor with 5,000 new objects', () => {
    const comparison = compareSnapshots(summarise(HeapGraph.parse(baselineText)), HeapGraph.parse(laterText));
    const top = growingConstructors(comparison.rows)[0];
    assert.equal(top?.name, 'LeakedRecord');
    assert.equal(top?.added, 5000);
    assert.equal(top?.deleted, 0);
    assert.equal(top?.countDelta, 5000);
    assert.ok(top!.sizeDelta >= 5000 * 16, `size delta ${top!.sizeDelta} B is at least 16 B per record`);
  });

  it('finds no growth when a snapshot is compared with itself', () => {
    const graph = HeapGraph.parse(baselineText);
    const comparison = compareSnapshots(summarise(graph), graph);
    assert.deepEqual(growingConstructors(comparison.rows), []);
    assert.ok(comparison.rows.every((row) => row.countDelta === 0 && row.added === 0 && row.deleted === 0));
  });
});

describe('retainer path', () => {
  it('leads from a root through the module-level array to a LeakedRecord, linked to its declaration; the stages are reported in order', () => {
    const stages: AnalysisProgress['stage'][] = [];
    const analysis = analyseSnapshotFiles(baselinePath, laterPath, {
      sources: [{ file: 'leaked-records.ts', text: fixtureText }],
      onProgress: (p) => stages.at(-1) !== p.stage && stages.push(p.stage),
    });
    assert.deepEqual(stages, ['reading the baseline', 'reading the later snapshot', 'comparing by constructor', 'finding retainer paths']);
    assert.equal(analysis.top?.name, 'LeakedRecord');
    const path = analysis.path;
    assert.ok(path && path.length >= 2, 'a path was found');
    assert.equal(path.at(-1)!.className, 'LeakedRecord');
    assert.equal(path.at(-2)!.className, 'Array');
    assert.equal(path.at(-2)!.edgeName, 'leakedRecords', 'the array is reached through the variable that holds it');
    // A GC root: one of V8's synthetic roots (Node 20, 22), or the global object itself, where Node
    // 24 and 26 reach the module through its entry-point ModuleWrap.
    assert.ok(path[0]!.nodeType === 'synthetic' || path[0]!.className === 'global', `the path starts at a GC root, not at ${path[0]!.className}`);
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
      'const $store = new Map();', // 8: `$` is an identifier character
      'const holder = { $store: null };', // 9
    ].join('\n');
    const sources = [{ file: 'server.ts', text }];
    const table: [string, 'variable' | 'property', number | undefined][] = [
      ['cache', 'variable', 3],
      ['socket', 'variable', 4],
      ['trail', 'property', 7],
      ['update', 'property', undefined], // the listeners' key in _events: not declared in this file
      ['user', 'variable', undefined],
      ['not an identifier', 'variable', undefined],
      ['$store', 'variable', 8],
      ['$store', 'property', 9],
      ['store', 'variable', undefined], // `$store` is another name
    ];
    for (const [name, kind, line] of table) assert.equal(findInSources(name, sources, kind)?.line, line, `${kind} ${name}`);
  });
});

describe('folding a chain', () => {
  const step = (edgeType: string, edgeName: string | number, className: string): PathStep => ({
    edgeType,
    edgeName,
    className,
    nodeType: 'object',
    nodeName: className,
    nodeId: 1,
    selfSize: 8,
  });
  const link = [step('property', 'lookup', '(closure)'), step('internal', 'context', 'system / Context'), step('context', 'previous', 'Object')];

  it('folds links that repeat into one step with the count, as in a chain of price tables', () => {
    const steps = [step('context', 'current', 'Object'), ...link, ...link, ...link, ...link, step('context', 'table', 'Map')];
    const folded = foldRepeats(steps);
    assert.equal(folded.length, 1 + 3 + 1 + 1);
    assert.deepEqual(folded[4]!.repeat, { links: 3, times: 3 });
    assert.match(describePath(folded)[4]!.words, /the same 3 links 3 more times/);
    assert.match(pathInOneLine(folded), /`previous` \(Object\) → \(… ×3\) → `table` \(Map\)$/);
  });

  it('leaves short paths and twice-repeated links alone', () => {
    const steps = [step('context', 'current', 'Object'), ...link, ...link];
    assert.deepEqual(foldRepeats(steps), steps);
  });
});

describe('choosing the constructor to explain (the one ranking the hub uses)', () => {
  const row = (name: string, countDelta: number): ConstructorDelta => ({
    name,
    countBefore: 0,
    countAfter: countDelta,
    added: countDelta,
    deleted: 0,
    countDelta,
    sizeBefore: 0,
    sizeAfter: countDelta * 32,
    sizeDelta: countDelta * 32,
  });
  const path = (length: number): PathStep[] => Array.from({ length }, () => ({ edgeType: 'property', edgeName: 'x', nodeType: 'object', className: 'Object', nodeName: 'Object', nodeId: 1, selfSize: 8 }));
  const explained = (name: string, count: number, share?: number, length = 4): Explained => ({ row: row(name, count), ...(share === undefined ? {} : { found: { path: path(length), share } }) });

  const table: [string, Explained[], string | undefined][] = [
    ['a specific class held one way beats more plain Objects', [explained('Object', 5000, 1), explained('ServerResponse', 1000, 0.95)], 'ServerResponse'],
    ['plain Objects when nothing specific is consistent', [explained('Object', 5000, 1), explained('Timeout', 1000, 0.3)], 'Object'],
    ['the most consistent tier first', [explained('Timeout', 2000, 0.6), explained('Order', 1000, 0.95)], 'Order'],
    ['a tiny specific growth does not win', [explained('Object', 5000, 1), explained('Socket', 3, 1)], 'Object'],
    ['the most new objects when none is consistent', [explained('Object', 5000, 0.2), explained('Order', 1000)], 'Object'],
    ['nothing to explain', [], undefined],
  ];
  for (const [name, list, expected] of table) it(name, () => assert.equal(chooseExplained(list)?.row.name, expected));

  it('ranks growing constructors by new objects, leaving V8 machinery out', () => {
    const rows = [row('(compiled code)', 9000), row('Order', 10), row('Object', 500), row('Shrinking', -5)];
    assert.deepEqual(growingConstructors(rows).map((r) => r.name), ['Object', 'Order']);
  });
});
