/** The reading time shown under each page title (site/components/reading-time.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readingMinutes } from '../../site/components/reading-time.ts';

const words = (count: number) => Array.from({ length: count }, (_, i) => `word${i}`).join(' ');

test('prose is read at 220 words a minute, rounded', () => {
  assert.equal(readingMinutes(words(220)), 1);
  assert.equal(readingMinutes(words(1100)), 5);
});

test('imports, exports and component tags are not counted', () => {
  const page = `import Measured from '../Measured.astro';\nexport const x = 1;\n<Measured id="a-figure-with-many-words-in-its-id" />\n${words(440)}`;
  assert.equal(readingMinutes(page), 2);
});

test('code is read line by line, slower than prose', () => {
  const code = ['```ts', ...Array.from({ length: 40 }, (_, i) => `const v${i} = ${i};`), '```'].join('\n');
  assert.equal(readingMinutes(code), 2);
});

test('a page without words shows no reading time; any page with words shows at least a minute', () => {
  assert.equal(readingMinutes('import A from "./a";\n\n<A />\n'), 0);
  assert.equal(readingMinutes('A few words.'), 1);
});
