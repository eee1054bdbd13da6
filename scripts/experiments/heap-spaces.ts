/**
 * heapUsed is not "old space": it is the sum of every V8 heap space. A freshly allocated 16 MB
 * array is too big for a normal page, so V8 puts it in new_large_object_space, and heapUsed
 * counts it there while old_space does not move.
 *
 *   node --import tsx scripts/experiments/heap-spaces.ts
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { ensureFlags, report, settleHeap, toMiB } from './lib/harness.ts';

function usedBySpace(): Record<string, number> {
  return Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size]));
}

function sum(values: Record<string, number>): number {
  return Object.values(values).reduce((total, value) => total + value, 0);
}

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  await settleHeap();
  const spacesBefore = usedBySpace();
  const heapUsedBefore = process.memoryUsage().heapUsed;
  // 2 million number slots, 8 bytes each: 16 MB. No GC between allocating and reading,
  // otherwise the array would be moved (promoted) to the old large object space.
  const sixteenMegabytes = new Array<number>(2_000_000).fill(0);
  const spacesAfter = usedBySpace();
  const heapUsedAfter = process.memoryUsage().heapUsed;

  const growthBySpace = Object.fromEntries(
    Object.keys(spacesAfter).map((name) => [name, spacesAfter[name]! - (spacesBefore[name] ?? 0)]),
  );
  const [landedIn] = Object.entries(growthBySpace).sort((a, b) => b[1] - a[1])[0]!;
  report(
    {
      arrayBytes: sixteenMegabytes.length * 8,
      landedIn,
      landedInGrowthMiB: toMiB(growthBySpace[landedIn]!),
      heapUsedGrowthMiB: toMiB(heapUsedAfter - heapUsedBefore),
      oldSpaceGrowthMiB: toMiB(growthBySpace.old_space ?? 0),
      // heapUsed and the sum over spaces, read together: the same number.
      heapUsed: heapUsedAfter,
      sumOfSpacesUsed: sum(spacesAfter),
      spaces: Object.keys(spacesAfter),
    },
    `a 16 MB array landed in ${landedIn}; heapUsed grew ${toMiB(heapUsedAfter - heapUsedBefore)} MiB`,
  );
}
