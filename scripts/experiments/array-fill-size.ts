/**
 * How big is `new Array(1_000_000).fill('leak')`, and how many of them make 1 GiB?
 * Every slot holds a pointer to the same interned string, so the array costs 8 bytes per slot
 * (this Node build has no pointer compression) no matter how long the string is.
 *
 *   node --import tsx scripts/experiments/array-fill-size.ts
 */
import { ensureFlags, report, retainedBy, toMiB } from './lib/harness.ts';

const SLOTS = 1_000_000;
/** Several arrays, so the per-array figure is an average rather than one noisy delta. */
const ARRAYS = 10;
const GIB = 1024 ** 3;

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  const { bytes } = await retainedBy(() => Array.from({ length: ARRAYS }, () => new Array(SLOTS).fill('leak')));
  const bytesPerArray = bytes / ARRAYS;
  // How many arrays fit in 1 GiB: the leak crosses 1 GiB at about this many seconds.
  const arraysToOneGiB = Math.round(GIB / bytesPerArray);
  report(
    {
      slots: SLOTS,
      arraysMeasured: ARRAYS,
      bytesPerArray: Math.round(bytesPerArray),
      mbPerArray: Math.round(bytesPerArray / 1e4) / 100,
      mibPerArray: toMiB(bytesPerArray),
      bytesPerSlot: Math.round((bytesPerArray / SLOTS) * 100) / 100,
      arraysToOneGiB,
      minutesToOneGiBAtOnePerSecond: Math.round((arraysToOneGiB / 60) * 10) / 10,
    },
    `one array of ${SLOTS} slots: ${(bytesPerArray / 1e6).toFixed(2)} MB; 1 GiB after ${arraysToOneGiB} arrays`,
  );
}
