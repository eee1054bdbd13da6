/** The --trace-gc line parser used by the gc-near-limit experiment, on real lines from Node 20. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTraceGc } from '../../scripts/experiments/lib/trace-gc.ts';

const cases = [
  {
    name: 'a full GC without incremental marking',
    line: '[11887:0x34d9f830]      709 ms: Mark-Compact 69.8 (91.6) -> 66.9 (101.7) MB, 80.57 / 0.00 ms  (average mu = 0.431, current mu = 0.313) task; scavenge might not succeed',
    expected: { atMs: 709, kind: 'Mark-Compact', heapBeforeMB: 69.8, heapAfterMB: 66.9, pauseMs: 80.57, currentMu: 0.313 },
  },
  {
    name: 'a full GC after incremental marking: the mu comes after a "(+ ...)" note',
    line: '[12122:0x12126830]      908 ms: Mark-Compact 52.9 (80.4) -> 48.7 (82.2) MB, 9.72 / 0.00 ms  (+ 42.4 ms in 43 steps since start of marking, biggest step 9.9 ms, walltime since start of marking 54 ms) (average mu = 0.200, current mu = 0.186) finalize incremental marking via task; GC in old space requested',
    expected: { atMs: 908, kind: 'Mark-Compact', heapBeforeMB: 52.9, heapAfterMB: 48.7, pauseMs: 9.72, currentMu: 0.186 },
  },
  {
    name: 'a memory-reducing full GC',
    line: '[11911:0x2305af00]     4288 ms: Mark-Compact (reduce) 246.0 (265.9) -> 245.9 (251.9) MB, 585.02 / 0.00 ms  (+ 15.4 ms in 9 steps since start of marking, biggest step 8.2 ms, walltime since start of marking 612 ms) (average mu = 0.304, current mu = 0.302) finalize incremental marking via stack guard; GC in old space requested',
    expected: { atMs: 4288, kind: 'Mark-Compact (reduce)', heapBeforeMB: 246, heapAfterMB: 245.9, pauseMs: 585.02, currentMu: 0.302 },
  },
  {
    name: 'a scavenge',
    line: '[11911:0x2305af00]     5057 ms: Scavenge 253.5 (260.9) -> 253.5 (262.2) MB, 8.63 / 0.00 ms  (average mu = 0.354, current mu = 0.400) allocation failure; ',
    expected: { atMs: 5057, kind: 'Scavenge', heapBeforeMB: 253.5, heapAfterMB: 253.5, pauseMs: 8.63, currentMu: 0.4 },
  },
];

for (const { name, line, expected } of cases) {
  test(`parses ${name}`, () => {
    assert.deepEqual(parseTraceGc(line), [expected]);
  });
}

test('ignores lines that are not GC traces', () => {
  assert.deepEqual(parseTraceGc('stopped at 1200 kept records\n<--- Last few GCs --->\n'), []);
});
