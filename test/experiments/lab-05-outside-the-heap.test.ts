import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { assertNear, measured, measuredNumber, runExperiment, unmeasuredHere } from './run-experiment.ts';

interface Memory {
  heapUsed: number;
  arrayBuffers: number;
  external: number;
  rss: number;
}

interface Side {
  failedUploads: number;
  before: Memory;
  after: Memory;
  heapUsedBytesPerUpload: number;
  arrayBuffersBytesPerUpload: number;
  uploadBodiesHeld: number | null;
}

interface Result {
  uploads: number;
  imageBytes: number;
  lab: Side;
  solution: Side;
}

let result: Result;
const growth = (side: Side, field: keyof Memory) => side.after[field] - side.before[field];

before(async () => {
  result = await runExperiment<Result>('lab-05-outside-the-heap');
});

test('every upload got its thumbnail, on both servers', () => {
  assert.equal(result.lab.failedUploads, 0);
  assert.equal(result.solution.failedUploads, 0);
  assert.equal(result.lab.uploadBodiesHeld, result.uploads, 'the shipped server holds every upload body');
});

test('the shipped server keeps one image per upload in arrayBuffers (lab05-arraybuffers-growth)', () => {
  assertNear(growth(result.lab, 'arrayBuffers'), measuredNumber('lab05-arraybuffers-growth'), 2, 'arrayBuffers growth, MiB');
});

test('while its heapUsed barely moves (lab05-heapused-growth)', () => {
  assert.ok(growth(result.lab, 'heapUsed') < measuredNumber('lab05-heapused-growth'), `heapUsed +${growth(result.lab, 'heapUsed')} MiB`);
});

test('and rss grows with the images (lab05-rss-growth)', { skip: unmeasuredHere('lab05-rss-growth') }, () => {
  // The allocator and the JIT add their own warm-up to rss: 15 MiB either way.
  assertNear(growth(result.lab, 'rss'), measuredNumber('lab05-rss-growth'), 15, 'rss growth, MiB');
  assert.ok(growth(result.lab, 'rss') >= growth(result.lab, 'arrayBuffers'), 'rss holds at least the images');
});

test('the solution keeps no image (lab05-solution-growth)', () => {
  const { arrayBuffersMaxMiB, rssShareOfLabMax } = measured('lab05-solution-growth').value as { arrayBuffersMaxMiB: number; rssShareOfLabMax: number };
  assert.ok(growth(result.solution, 'arrayBuffers') <= arrayBuffersMaxMiB, `arrayBuffers +${growth(result.solution, 'arrayBuffers')} MiB`);
  // rss is not how to tell the fix: the solution's moved by 15 to 55 MiB in runs on Node 26 (the
  // allocator's and V8's reserve), against the shipped server's 100 to 113.
  const share = growth(result.solution, 'rss') / growth(result.lab, 'rss');
  assert.ok(share < rssShareOfLabMax, `the solution's rss grew ${growth(result.solution, 'rss')} MiB, the shipped server's ${growth(result.lab, 'rss')} MiB`);
});

test('per upload: the image outside the heap, a few hundred bytes inside (lab05-bytes-per-upload)', () => {
  const { arrayBuffers, heapMax } = measured('lab05-bytes-per-upload').value as { arrayBuffers: number; heapMax: number };
  assertNear(result.lab.arrayBuffersBytesPerUpload, arrayBuffers, 500, 'arrayBuffers bytes per upload');
  assert.ok(Math.abs(result.lab.arrayBuffersBytesPerUpload - result.imageBytes) < 500, 'about one image per upload');
  assert.ok(result.lab.heapUsedBytesPerUpload < heapMax, `${result.lab.heapUsedBytesPerUpload} B of heap per upload`);
});
