/**
 * A small line diff (longest common subsequence) for showing a lab's fix on the site: the lines
 * the solution removed and added, with a little unchanged context around each change. Pure: text
 * in, text out. The lab files are short (a few hundred lines), so the quadratic table is cheap.
 */

export type DiffLine = { kind: 'same' | 'removed' | 'added'; text: string };

/** Every line of `before` and `after`, marked as kept, removed or added, in order. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // common[i][j] = length of the longest common subsequence of a[i..] and b[j..].
  const common: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      common[i]![j] = a[i] === b[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      lines.push({ kind: 'same', text: a[i]! });
      i += 1;
      j += 1;
    } else if (common[i + 1]![j]! >= common[i]![j + 1]!) {
      lines.push({ kind: 'removed', text: a[i]! });
      i += 1;
    } else {
      lines.push({ kind: 'added', text: b[j]! });
      j += 1;
    }
  }
  for (; i < a.length; i += 1) lines.push({ kind: 'removed', text: a[i]! });
  for (; j < b.length; j += 1) lines.push({ kind: 'added', text: b[j]! });
  return lines;
}

/**
 * The changes as unified-diff body text ('-', '+', ' ' prefixes) with `context` unchanged lines
 * around each change; runs of unchanged lines that are skipped become one `gap` line.
 */
export function formatChanges(lines: readonly DiffLine[], context = 3, gap = ' // …'): string {
  const changed = lines.map((line) => line.kind !== 'same');
  const shown = lines.map((_, index) => {
    for (let k = Math.max(0, index - context); k <= Math.min(lines.length - 1, index + context); k += 1) {
      if (changed[k]) return true;
    }
    return false;
  });
  const out: string[] = [];
  let skipped = false;
  for (const [index, line] of lines.entries()) {
    if (!shown[index]) {
      skipped = true;
      continue;
    }
    if (skipped && out.length > 0) out.push(gap);
    skipped = false;
    const prefix = line.kind === 'removed' ? '-' : line.kind === 'added' ? '+' : ' ';
    out.push(prefix + line.text);
  }
  return out.join('\n');
}

/** True when the two texts differ in at least one line. */
export function hasChanges(lines: readonly DiffLine[]): boolean {
  return lines.some((line) => line.kind !== 'same');
}

function splitLines(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
