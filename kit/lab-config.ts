/**
 * How a lab's config.ts fixture reads its tunables: from LEAKLAB_* environment variables, so the
 * checker can shorten a TTL or a tick without editing the learner's server.ts.
 */

/** The positive number in environment variable `name`, or `fallback` when unset; throws on anything else. */
export function positiveNumberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number (got "${raw}")`);
  }
  return value;
}
