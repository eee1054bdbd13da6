/**
 * The small API a lab's fixtures use, and nothing else of the kit: gauges (numbers the checker's
 * probe reads, each with the label a learner sees) and tunables (settings read from LEAKLAB_*
 * environment variables, with the value the lab ships with and the value its check runs with).
 *
 * The gauge registry hangs off a global symbol so that the fixtures and the probe (loaded beside
 * the learner's code with --import) see the same one whichever path each imported this module from.
 */

type Read = () => number;

interface Gauge {
  label: string;
  read: Read;
}

const REGISTRY = Symbol.for('leaklab.gauges');

function registry(): Map<string, Gauge> {
  const holder = globalThis as typeof globalThis & { [REGISTRY]?: Map<string, Gauge> };
  holder[REGISTRY] ??= new Map();
  return holder[REGISTRY];
}

/** Expose a number to the checker under `name`, shown to the learner as `label` (replaces an earlier gauge of that name). */
export function registerGauge(name: string, label: string, read: Read): void {
  registry().set(name, { label, read });
}

/** Read every registered gauge now; a gauge that throws reads as NaN rather than breaking the probe. */
export function readGauges(): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [name, gauge] of registry()) {
    try {
      values[name] = gauge.read();
    } catch {
      values[name] = Number.NaN;
    }
  }
  return values;
}

/** The label of every registered gauge, by name. */
export function gaugeLabels(): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [name, gauge] of registry()) labels[name] = gauge.label;
  return labels;
}

/**
 * Count objects still alive, without keeping any: `track(object)` remembers it through a WeakRef,
 * and the gauge `name` reads how many distinct ones are still reachable (read it after a forced
 * GC). Only what the server still holds is counted, never what a correct fix creates and lets go.
 */
export function aliveCounter(name: string, label: string): (object: object) => void {
  let refs: WeakRef<object>[] = [];
  // What is tracked already: one object passed again (a buffer reused for every upload) is one
  // object held, not one per call. A WeakSet, so remembering it keeps nothing alive either.
  const tracked = new WeakSet<object>();
  let keptAtLastPrune = 0;
  const alive = () => {
    refs = refs.filter((ref) => ref.deref() !== undefined);
    keptAtLastPrune = refs.length;
    return refs.length;
  };
  registerGauge(name, label, alive);
  return (object) => {
    if (tracked.has(object)) return;
    tracked.add(object);
    refs.push(new WeakRef(object));
    // Drop dead refs now and then, so that running the lab without the checker costs nothing.
    if (refs.length > 2 * keptAtLastPrune + 256) alive();
  };
}

// ---------------------------------------------------------------------------------------------
// Tunables

/** One setting of a lab: where it is read from, and its two values. */
export interface TunableSpec {
  /** The environment variable, e.g. 'LEAKLAB_CACHE_TTL_SECONDS'. */
  env: string;
  /** The value the service ships with (what `node workspace/…/server.ts` uses). */
  shipped: number;
  /** The value the checker, the hub and `leaklab run` use: short enough to see the behaviour in seconds. */
  checked: number;
  /** What it means, in one line (shown in the hub's panel and the README). */
  about: string;
  /** Whole numbers only. */
  integer?: boolean;
}

export interface Tunables<K extends string> {
  readonly specs: Readonly<Record<K, TunableSpec>>;
  /** The values in force in this process: LEAKLAB_* variables when set, else the shipped values. */
  read(): Readonly<Record<K, number>>;
  /** The values the check runs with. */
  readonly checked: Readonly<Record<K, number>>;
  /** The environment that gives a lab process the checked values. */
  checkedEnv(): Record<string, string>;
  /** What each setting means, by its environment variable (shown beside the values in the hub). */
  about(): Record<string, string>;
}

/** Declare a lab's tunables; its config.ts reads them with `.read()`, its check with `.checked`. */
export function defineTunables<K extends string>(specs: Record<K, TunableSpec>): Tunables<K> {
  const keys = Object.keys(specs) as K[];
  const pick = (value: (spec: TunableSpec) => number) => Object.freeze(Object.fromEntries(keys.map((key) => [key, value(specs[key])])) as Record<K, number>);
  return {
    specs: Object.freeze(specs),
    read: () => pick((spec) => numberFromEnv(spec)),
    checked: pick((spec) => spec.checked),
    checkedEnv: () => Object.fromEntries(keys.map((key) => [specs[key].env, String(specs[key].checked)])),
    about: () => Object.fromEntries(keys.map((key) => [specs[key].env, specs[key].about])),
  };
}

/** The positive number in the spec's environment variable, or its shipped value when unset; throws on anything else. */
function numberFromEnv(spec: TunableSpec): number {
  const raw = process.env[spec.env];
  if (raw === undefined || raw.trim() === '') return spec.shipped;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (spec.integer && !Number.isInteger(value))) {
    throw new Error(`${spec.env} must be a positive ${spec.integer ? 'whole number' : 'number'} (got "${raw}")`);
  }
  return value;
}
