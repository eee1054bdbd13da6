/**
 * Gauges are numbers a lab's fixtures expose to the checker's probe: how often the fake database
 * was called, how many listeners the bus holds. Fixtures register them; the probe, loaded beside the
 * learner's code, reads them. The registry hangs off a global symbol so that both sides see the same
 * one whichever path each imported this module from.
 */

type Read = () => number;

const REGISTRY = Symbol.for('leaklab.gauges');

function registry(): Map<string, Read> {
  const holder = globalThis as typeof globalThis & { [REGISTRY]?: Map<string, Read> };
  holder[REGISTRY] ??= new Map();
  return holder[REGISTRY];
}

/** Expose a number to the checker under `name` (replaces an earlier gauge of that name). */
export function registerGauge(name: string, read: Read): void {
  registry().set(name, read);
}

/** Read every registered gauge now; a gauge that throws reads as NaN rather than breaking the probe. */
export function readGauges(): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [name, read] of registry()) {
    try {
      values[name] = read();
    } catch {
      values[name] = Number.NaN;
    }
  }
  return values;
}
