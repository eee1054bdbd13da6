/**
 * Cut a region out of a source file for the site, by the text its first and last lines start
 * with rather than by line numbers, so an edit elsewhere in the file does not shift the excerpt.
 * A marker matches a line that starts with it once indentation is ignored; a marker that itself
 * begins with spaces must match the indentation exactly (so `  });` is the end of a block nested
 * one level deep, not any `});`). A missing or ambiguous marker throws: the build fails instead
 * of showing the wrong code.
 */

export interface ExcerptRange {
  /** The one line that starts with this text is the first line shown. Omit to start at the top. */
  from?: string;
  /** The first line after `from` that starts with this text is the last line shown. */
  to?: string;
  /** Like `to`, but that line is not shown (trailing blank lines are dropped too). */
  until?: string;
}

export interface Excerpt {
  code: string;
  /** 1-based line numbers of the first and last line shown. */
  firstLine: number;
  lastLine: number;
}

/** The lines of `source` selected by `range`; the whole file when the range is empty. */
export function excerpt(source: string, range: ExcerptRange = {}, fileName = 'the file'): Excerpt {
  const { from, to, until } = range;
  if (to !== undefined && until !== undefined) throw new Error(`Excerpt of ${fileName}: give "to" or "until", not both.`);
  const lines = source.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  let start = 0;
  if (from !== undefined) {
    const hits = lines.flatMap((line, index) => (lineStartsWith(line, from) ? [index] : []));
    if (hits.length !== 1) {
      throw new Error(`Excerpt of ${fileName}: expected exactly one line starting with ${JSON.stringify(from)}, found ${hits.length}.`);
    }
    start = hits[0]!;
  }
  let end = lines.length - 1;
  const endMarker = to ?? until;
  if (endMarker !== undefined) {
    const found = lines.findIndex((line, index) => index > start && lineStartsWith(line, endMarker));
    if (found === -1) {
      throw new Error(`Excerpt of ${fileName}: no line starting with ${JSON.stringify(endMarker)} after line ${start + 1}.`);
    }
    end = to !== undefined ? found : found - 1;
  }
  while (end > start && lines[end]!.trim() === '') end -= 1;
  return { code: lines.slice(start, end + 1).join('\n'), firstLine: start + 1, lastLine: end + 1 };
}

/** Whether `line` starts with `marker`, ignoring indentation unless the marker has its own. */
export function lineStartsWith(line: string, marker: string): boolean {
  return marker.trimStart() === marker ? line.trimStart().startsWith(marker) : line.startsWith(marker);
}
