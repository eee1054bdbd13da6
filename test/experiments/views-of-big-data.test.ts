import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { assertNear, measured, measuredNumber, runExperiment, unmeasuredHere } from './run-experiment.ts';

interface Result {
  strings: { slice20MiB: number; copy20MiB: number; slice10MiB: number; builtWithPlusMiB: number; flattenedMiB: number; characters: number; slicedFromLength: number | null };
  buffers: { subarrayMiB: number; copyMiB: number };
  pool: { poolSize: number; pooledBytesPerKept: number; unpooledBytesPerKept: number };
}

let result: Result;

before(async () => {
  result = await runExperiment<Result>('views-of-big-data');
});

test('a 20-character slice keeps its 1 MB parent (sliced-string-keeps-parent)', () => {
  assertNear(result.strings.slice20MiB, measuredNumber('sliced-string-keeps-parent'), 2, 'MiB kept by 100 slices');
});

test('a copy keeps only itself, and a short slice is copied anyway (sliced-string-copy)', () => {
  const most = measuredNumber('sliced-string-copy');
  assert.ok(result.strings.copy20MiB < most, `copies keep ${result.strings.copy20MiB} MiB`);
  assert.ok(result.strings.slice10MiB < most, `10-character slices keep ${result.strings.slice10MiB} MiB`);
});

test('a += string costs several times its characters until flattened (cons-string-cost)', () => {
  const { treeMiB, flatMiB } = measured('cons-string-cost').value as { treeMiB: [number, number]; flatMiB: number };
  assert.ok(result.strings.builtWithPlusMiB >= treeMiB[0] && result.strings.builtWithPlusMiB <= treeMiB[1], `tree: ${result.strings.builtWithPlusMiB} MiB`);
  // Post-GC heapUsed moves by a tenth of a MiB or two between readings: the flat string is the
  // characters and little else, the tree several times that.
  assertNear(result.strings.flattenedMiB, flatMiB, 0.2, 'flattened MiB');
  assert.ok(result.strings.builtWithPlusMiB > 4 * result.strings.flattenedMiB, 'the tree costs several times the flat string');
});

test('a 32-byte subarray keeps its 1 MB Buffer; a copy does not (buffer-subarray-keeps-parent)', () => {
  assertNear(result.buffers.subarrayMiB, measuredNumber('buffer-subarray-keeps-parent'), 2, 'MiB kept by 100 views');
  assert.ok(result.buffers.copyMiB < 0.5, `copies keep ${result.buffers.copyMiB} MiB`);
});

test('one small pooled Buffer keeps its whole slab (buffer-pool-slab)', { skip: unmeasuredHere('buffer-pool-slab') }, () => {
  assert.equal(result.pool.poolSize, measuredNumber('buffer-pool-slab'));
  assertNear(result.pool.pooledBytesPerKept, result.pool.poolSize, result.pool.poolSize * 0.1, 'bytes kept per pooled Buffer');
  assert.ok(result.pool.unpooledBytesPerKept < 1024, `an unpooled 16-byte Buffer keeps ${result.pool.unpooledBytesPerKept} B`);
});

test('substrings from 13 characters up point into their parent (sliced-string-min-length)', () => {
  assert.equal(result.strings.slicedFromLength, measuredNumber('sliced-string-min-length'));
});
