/**
 * Reading time of a course page, from its MDX source: words of prose at 220 a minute, and lines of
 * code at 20 a minute (code is read, not skimmed). Imports, exports and component tags are not
 * read by anyone and are left out. Pure; used by PageTitle.astro at build time.
 */

const PROSE_WORDS_PER_MINUTE = 220;
const CODE_LINES_PER_MINUTE = 20;

/** Minutes to read `mdx` (at least 1 for any page with words). */
export function readingMinutes(mdx: string): number {
  let proseWords = 0;
  let codeLines = 0;
  let inFence = false;
  for (const line of mdx.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      if (line.trim() !== '') codeLines++;
      continue;
    }
    if (/^\s*(import|export)\s/.test(line)) continue;
    const prose = line.replace(/<[^>]*>/g, ' ').replace(/\{[^}]*\}/g, ' ');
    proseWords += prose.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
  }
  const minutes = proseWords / PROSE_WORDS_PER_MINUTE + codeLines / CODE_LINES_PER_MINUTE;
  return proseWords + codeLines === 0 ? 0 : Math.max(1, Math.round(minutes));
}
