/** The runner's comparison of one experiment's output across Node lines (scripts/experiments/lib/compare-lines.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { differingFields, leaves } from '../../scripts/experiments/lib/compare-lines.ts';

test('flattens nested results into dotted leaves; a list of plain values is one leaf', () => {
  assert.deepEqual(leaves({ limit: { '64': 112 }, reasons: ['a', 'b'], ok: true }), [
    ['limit.64', '112'],
    ['reasons', '["a","b"]'],
    ['ok', 'true'],
  ]);
});

test('lists only the fields whose values are not the same on every line', () => {
  const differences = differingFields({
    '20': { limit: { '64': 112 }, slots: 8 },
    '24': { limit: { '64': 256 }, slots: 8 },
    '26': { limit: { '64': 160 }, slots: 8, extra: 1 },
  });
  assert.deepEqual(differences, [
    { field: 'limit.64', values: { '20': '112', '24': '256', '26': '160' } },
    { field: 'extra', values: { '20': '(missing)', '24': '(missing)', '26': '1' } },
  ]);
});
