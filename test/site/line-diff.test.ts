/**
 * The build-time line diff that shows each lab's fix on the site: a table of cases, then the real
 * lab/solution pairs (every solution must differ from its lab, and only by lines marked as the fix).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { diffLines, formatChanges, hasChanges } from '../../site/components/line-diff.ts';

const cases: Array<{ name: string; before: string; after: string; expected: string }> = [
  { name: 'identical texts give only context', before: 'a\nb\n', after: 'a\nb\n', expected: '' },
  { name: 'one line replaced', before: 'a\nb\nc\n', after: 'a\nB\nc\n', expected: ' a\n-b\n+B\n c' },
  { name: 'lines inserted', before: 'a\nc\n', after: 'a\nb1\nb2\nc\n', expected: ' a\n+b1\n+b2\n c' },
  { name: 'line removed at the end', before: 'a\nb\n', after: 'a\n', expected: ' a\n-b' },
  { name: 'CRLF and LF compare equal', before: 'a\r\nb\r\n', after: 'a\nb\n', expected: '' },
];

for (const { name, before, after, expected } of cases) {
  test(`formatChanges: ${name}`, () => {
    assert.equal(formatChanges(diffLines(before, after), 1), expected);
  });
}

test('far-apart changes are separated by one gap line, unchanged runs are not shown', () => {
  const before = ['x', ...Array.from({ length: 20 }, (_, i) => `keep ${i}`), 'y'].join('\n');
  const after = ['X', ...Array.from({ length: 20 }, (_, i) => `keep ${i}`), 'Y'].join('\n');
  const shown = formatChanges(diffLines(before, after), 2, ' // …').split('\n');
  assert.deepEqual(shown, ['-x', '+X', ' keep 0', ' keep 1', ' // …', ' keep 18', ' keep 19', '-y', '+Y']);
});

test('diffLines keeps every line of both texts, in order', () => {
  const lines = diffLines('a\nb\nc\nd\n', 'a\nc\nd\ne\n');
  assert.deepEqual(lines.filter((l) => l.kind !== 'added').map((l) => l.text), ['a', 'b', 'c', 'd']);
  assert.deepEqual(lines.filter((l) => l.kind !== 'removed').map((l) => l.text), ['a', 'c', 'd', 'e']);
});

// Every lab in the manifest, so a lab added later is covered without editing this test.
const labIds = (JSON.parse(readFileSync('labs/course.json', 'utf8')) as { labs: Array<{ id: string }> }).labs.map((lab) => lab.id);
for (const lab of labIds) {
  test(`the site's fix diff for ${lab} adds a "// Fix:" comment and removes the "// TODO:"`, () => {
    const before = readFileSync(`labs/${lab}/server.ts`, 'utf8');
    const after = readFileSync(`solutions/${lab}/server.ts`, 'utf8');
    const lines = diffLines(before, after);
    assert.ok(hasChanges(lines));
    assert.ok(lines.some((l) => l.kind === 'added' && l.text.includes('// Fix:')), 'the fix explains itself');
    assert.ok(lines.some((l) => l.kind === 'removed' && l.text.includes('// TODO:')), 'the TODO goes away');
  });
}
