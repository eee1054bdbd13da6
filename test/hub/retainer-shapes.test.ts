/**
 * Retainer paths whose middle differs per object: one event name per order (`payment:<order id>`),
 * one Map key per id. Each leaked object is held through a property of its own name, so grouping
 * paths by their exact names would find as many shapes as objects and no common path. Names made
 * per key are read as one shape; a real lab 07 variant that leaks that way must still be explained.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLabContext, loadCheckPlan } from '../../kit/check-plans.ts';
import { startLab } from '../../kit/lab-process.ts';
import { findLab, loadCourse } from '../../kit/manifest.ts';
import { analyseSnapshots, nameShape, type SnapshotAnalysis } from '../../kit/snapshots/index.ts';
import { learnerFilesFor } from '../fixtures/learner-files.ts';

const course = loadCourse();
const LAB = findLab(course, '07');
/** The learner file stored as a patch of the solution, written out as a runnable copy. */
const FIXTURE = learnerFilesFor(LAB, course.root).find((file) => file.source.endsWith('leak-event-per-order.patch'))!.file;

describe('names made per key read as one shape', () => {
  const table: [string, string][] = [
    ['payment:o0001ab', 'payment:#'],
    ['payment:o-17', 'payment:o-#'],
    ['c-3f9a2', 'c-#'],
    ['5e0c7a3e-1b2d-4c1f-9a8b-0d1e2f3a4b5c', '#-#-#-#-#'],
    ['_events', '_events'],
    ['cache', 'cache'],
    ['payment', 'payment'],
  ];
  for (const [name, shape] of table) {
    it(`${name} → ${shape}`, () => assert.equal(nameShape(name), shape));
  }
  it('keeps names that differ in words apart', () => assert.notEqual(nameShape('payment:o1'), nameShape('refund:o1')));
});

describe('a once-listener per order on its own event name (lab 07 fixture)', () => {
  let dir = '';
  let analysis: SnapshotAnalysis;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'leaklab-retainer-shapes-'));
    const check = await loadCheckPlan(LAB.dir);
    const lab = await startLab({ entry: FIXTURE, env: check.env, blockedAfterMs: 20_000 });
    try {
      const ctx = createLabContext(lab);
      const run = await check.start(ctx);
      try {
        await run.round(400); // warm up: caches full, code compiled
        await lab.writeSnapshot(path.join(dir, 'baseline.heapsnapshot'));
        await run.round(3000);
        await lab.writeSnapshot(path.join(dir, 'later.heapsnapshot'));
      } finally {
        await run.close();
        ctx.close();
      }
    } finally {
      await lab.stop();
    }
    const [before, later, source] = await Promise.all([
      readFile(path.join(dir, 'baseline.heapsnapshot'), 'utf8'),
      readFile(path.join(dir, 'later.heapsnapshot'), 'utf8'),
      readFile(FIXTURE, 'utf8'),
    ]);
    analysis = analyseSnapshots(before, later, { sources: [{ file: 'server.ts', text: source }] });
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('names Order as the top growing constructor', () => {
    assert.equal(analysis.top?.name, 'Order', JSON.stringify(analysis.rows.slice(0, 5).map((r) => [r.name, r.countDelta])));
  });

  it('finds the one path that holds most new Orders, through a per-order event name on the bus', () => {
    assert.ok((analysis.pathShare ?? 0) >= 0.8, `share of new Orders on the shown path: ${analysis.pathShare} (${analysis.pathLine})`);
    assert.match(analysis.pathLine ?? '', /`_events` \(Object\) → `payment:[^`]+`/, analysis.pathLine);
    assert.match(analysis.pathLine ?? '', /`order` \(Order\)$/, analysis.pathLine);
  });
});
