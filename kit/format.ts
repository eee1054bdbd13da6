/**
 * How Leak Lab writes numbers for a learner, in the terminal and in the browser alike: one unit
 * system (IEC: B, KiB, MiB, GiB, as V8 and Node's --max-old-space-size count) and one plural rule.
 * Pure and free of Node imports, so the hub's browser code can import it too.
 */

/** Human sizes in IEC units: 950 B, 12.3 KiB, 4.56 MiB, 1.20 GiB. Negative sizes keep their sign. */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '−' : '';
  const abs = Math.abs(bytes);
  if (abs < 1024) return `${sign}${Math.round(abs).toLocaleString('en-US')} B`;
  if (abs < 1024 ** 2) return `${sign}${(abs / 1024).toFixed(1)} KiB`;
  if (abs < 1024 ** 3) return `${sign}${(abs / 1024 ** 2).toFixed(abs < 100 * 1024 ** 2 ? 2 : 1)} MiB`;
  return `${sign}${(abs / 1024 ** 3).toFixed(2)} GiB`;
}

/** "request" → "requests", "price refresh" → "price refreshes"; the noun itself for a count of 1. */
export function plural(noun: string, count: number): string {
  if (count === 1) return noun;
  return /(s|sh|ch|x)$/.test(noun) ? `${noun}es` : `${noun}s`;
}

/** "3 requests", "1 price refresh", with thousands separators. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${plural(noun, n)}`;
}
