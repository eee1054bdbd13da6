/**
 * Tunables of the telemetry dashboard. Read from LEAKLAB_* environment variables so that the
 * checker can change them without editing your server.ts.
 * Fixture: you do not need to change this file.
 */

function positiveNumberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number (got "${raw}")`);
  }
  return value;
}

export const config = Object.freeze({
  /** Milliseconds between two 'tick' messages to one dashboard. */
  tickMs: positiveNumberFromEnv('LEAKLAB_TICK_MS', 100),
});
