/** The --trace-gc line parser used by the gc-near-limit and oom-crash-report experiments, on real lines from Node 20 to 26. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTraceGc } from '../../scripts/experiments/lib/trace-gc.ts';

const cases = [
  {
    name: 'a full GC without incremental marking (Node 20)',
    line: '[11887:0x34d9f830]      709 ms: Mark-Compact 69.8 (91.6) -> 66.9 (101.7) MB, 80.57 / 0.00 ms  (average mu = 0.431, current mu = 0.313) task; scavenge might not succeed',
    expected: { atMs: 709, kind: 'Mark-Compact', full: true, heapBeforeMB: 69.8, heapAfterMB: 66.9, pauseMs: 80.57, currentMu: 0.313 },
  },
  {
    name: 'a full GC after incremental marking: the mu comes after a "(+ ...)" note (Node 20)',
    line: '[12122:0x12126830]      908 ms: Mark-Compact 52.9 (80.4) -> 48.7 (82.2) MB, 9.72 / 0.00 ms  (+ 42.4 ms in 43 steps since start of marking, biggest step 9.9 ms, walltime since start of marking 54 ms) (average mu = 0.200, current mu = 0.186) finalize incremental marking via task; GC in old space requested',
    expected: { atMs: 908, kind: 'Mark-Compact', full: true, heapBeforeMB: 52.9, heapAfterMB: 48.7, pauseMs: 9.72, currentMu: 0.186 },
  },
  {
    name: 'a memory-reducing full GC (Node 20)',
    line: '[11911:0x2305af00]     4288 ms: Mark-Compact (reduce) 246.0 (265.9) -> 245.9 (251.9) MB, 585.02 / 0.00 ms  (+ 15.4 ms in 9 steps since start of marking, biggest step 8.2 ms, walltime since start of marking 612 ms) (average mu = 0.304, current mu = 0.302) finalize incremental marking via stack guard; GC in old space requested',
    expected: { atMs: 4288, kind: 'Mark-Compact (reduce)', full: true, heapBeforeMB: 246, heapAfterMB: 245.9, pauseMs: 585.02, currentMu: 0.302 },
  },
  {
    name: 'a scavenge (Node 20)',
    line: '[11911:0x2305af00]     5057 ms: Scavenge 253.5 (260.9) -> 253.5 (262.2) MB, 8.63 / 0.00 ms  (average mu = 0.354, current mu = 0.400) allocation failure; ',
    expected: { atMs: 5057, kind: 'Scavenge', full: false, heapBeforeMB: 253.5, heapAfterMB: 253.5, pauseMs: 8.63, currentMu: 0.4 },
  },
  {
    name: 'a full GC with the "pooled" field (Node 22 and 24)',
    line: '[12667:0x40fd5000]     1611 ms: Mark-Compact 66.2 (86.8) -> 54.5 (88.3) MB, pooled: 0 MB, 62.80 / 0.00 ms  (average mu = 0.095, current mu = 0.076) task; scavenge might not succeed',
    expected: { atMs: 1611, kind: 'Mark-Compact', full: true, heapBeforeMB: 66.2, heapAfterMB: 54.5, pauseMs: 62.8, currentMu: 0.076 },
  },
  {
    name: 'an incremental memory-reducing full GC (Node 26)',
    line: '[12806:0x1d104000]     2421 ms: Incremental Mark-Compact (reduce) 63.6 (65.8) -> 62.5 (64.6) MB, pooled: 0.0 MB, 58.26 / 0.00 ms (+ 1.2 ms in 31 steps since start of marking, biggest step 0.2 ms, walltime since start of marking 69 ms) (average mu = 0.155, current mu = 0.178) allocation failure; Incremental marking forced finalization',
    expected: { atMs: 2421, kind: 'Incremental Mark-Compact (reduce)', full: true, heapBeforeMB: 63.6, heapAfterMB: 62.5, pauseMs: 58.26, currentMu: 0.178 },
  },
];

for (const { name, line, expected } of cases) {
  test(`parses ${name}`, () => {
    assert.deepEqual(parseTraceGc(line), [expected]);
  });
}

test('splits two entries that V8 printed on one line in a crash report (Node 24)', () => {
  const runTogether =
    '[12747:0x333ce000]     1100 ms: Mark-Compact 89.2 (181.8) -> 61.3 (190.2) MB, pooled: 0 MB, 27.05 / 0.00 ms  (average mu = 0.462, current mu = 0.617' +
    '[12747:0x333ce000]     1201 ms: Mark-Compact 117.7 (194.7) -> 63.2 (192.2) MB, pooled: 0 MB, 87.91 / 0.00 ms  (average mu = 0.286, current mu = 0.124) task; scavenge might not succeed';
  assert.deepEqual(
    parseTraceGc(runTogether).map((gc) => [gc.atMs, gc.currentMu]),
    [
      [1100, 0.617],
      [1201, 0.124],
    ],
  );
});

test('ignores lines that are not GC traces', () => {
  assert.deepEqual(parseTraceGc('stopped at 1200 kept records\n<--- Last few GCs --->\n'), []);
});
