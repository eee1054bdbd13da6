/**
 * Excerpts of real files on the site are cut by what their first and last lines start with; a
 * marker that is missing or ambiguous must fail (the build), never show the wrong code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { excerpt, lineStartsWith } from '../../site/components/source-excerpt.ts';

const source = [
  'import x from "x";', // 1
  '', // 2
  'app.get("/a", (req, res) => {', // 3
  '  res.writeHead(200, {', // 4
  '    a: 1,', // 5
  '  });', // 6
  '  res.end();', // 7
  '});', // 8
  '', // 9
  'app.post("/b", handler);', // 10
  '',
].join('\n');

test('the whole file when no marker is given (without the final newline)', () => {
  const cut = excerpt(source);
  assert.equal(cut.firstLine, 1);
  assert.equal(cut.lastLine, 10);
});

test('a marker without indentation matches at any depth: the first `});` after `from` ends the excerpt', () => {
  const cut = excerpt(source, { from: 'app.get(', to: '});' });
  assert.deepEqual([cut.firstLine, cut.lastLine], [3, 6]);
});

test('a marker that starts with spaces must match the indentation exactly', () => {
  const cut = excerpt(source, { from: 'res.writeHead', to: '});' });
  assert.deepEqual([cut.firstLine, cut.lastLine], [4, 6]);
  const whole = excerpt(source, { from: 'app.get(', until: 'app.post(' });
  assert.deepEqual([whole.firstLine, whole.lastLine], [3, 8]);
  const nested = excerpt(source, { from: 'a: 1', to: '  });' });
  assert.deepEqual([nested.firstLine, nested.lastLine], [5, 6]);
  assert.throws(() => excerpt(source, { from: 'a: 1', to: '    });' }), /no line starting with/);
});

test('`from` ignores indentation; `until` stops before its line and drops trailing blank lines', () => {
  const cut = excerpt(source, { from: 'res.writeHead', until: 'app.post(' });
  assert.deepEqual([cut.firstLine, cut.lastLine], [4, 8]);
});

test('a missing or ambiguous marker throws, naming the file', () => {
  assert.throws(() => excerpt(source, { from: 'app.put(' }, 'server.ts'), /server\.ts.*exactly one line/);
  assert.throws(() => excerpt(source, { from: 'app.' }, 'server.ts'), /found 2/);
  assert.throws(() => excerpt(source, { from: 'app.get(', to: 'never' }, 'server.ts'), /no line starting with "never"/);
  assert.throws(() => excerpt(source, { to: '});', until: 'x' }), /not both/);
});

test('lineStartsWith', () => {
  assert.equal(lineStartsWith('    a: 1,', 'a:'), true);
  assert.equal(lineStartsWith('    a: 1,', '  a:'), false);
  assert.equal(lineStartsWith('  a: 1,', '  a:'), true);
});
