/**
 * Cut a region out of a source file for the site, by the text of its first and last lines rather
 * than by line numbers, so an edit elsewhere in the file does not shift the excerpt. A marker that
 * is missing or ambiguous throws: the build fails instead of showing the wrong code.
 */

export interface Excerpt {
  code: string;
  /** 1-based line numbers of the first and last line shown. */
  firstLine: number;
  lastLine: number;
}

/**
 * The lines from the one line containing `from` through the first line after it containing `to`
 * (both inclusive). Without `from`, the whole file; without `to`, to the end of the file.
 */
export function excerpt(source: string, from?: string, to?: string, fileName = 'the file'): Excerpt {
  const lines = source.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  let start = 0;
  if (from !== undefined) {
    const hits = lines.flatMap((line, index) => (line.includes(from) ? [index] : []));
    if (hits.length !== 1) {
      throw new Error(`Excerpt of ${fileName}: expected exactly one line containing ${JSON.stringify(from)}, found ${hits.length}.`);
    }
    start = hits[0]!;
  }
  let end = lines.length - 1;
  if (to !== undefined) {
    const found = lines.findIndex((line, index) => index >= start && line.includes(to));
    if (found === -1) throw new Error(`Excerpt of ${fileName}: no line containing ${JSON.stringify(to)} after ${JSON.stringify(from)}.`);
    end = found;
  }
  return { code: lines.slice(start, end + 1).join('\n'), firstLine: start + 1, lastLine: end + 1 };
}
