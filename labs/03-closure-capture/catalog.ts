/**
 * The price catalogue: every refresh loads a complete new price table (SKU → price in euros) from
 * the supplier feed, simulated here. Version N always yields the same prices, and roughly one SKU
 * in ten changes price from one version to the next.
 * Fixture: you do not need to change this file.
 */
import { registerGauge } from '../../kit/lab-api.ts';

/** SKU → price in euros. */
export type PriceTable = Map<string, number>;

/** How many products the catalogue lists. */
export const SKU_COUNT = 500;

let loads = 0;
registerGauge('catalogLoads', 'price tables loaded', () => loads);

/** The SKU of the product at `index` (0-based), e.g. skuAt(7) === 'SKU-00007'. */
export function skuAt(index: number): string {
  return `SKU-${String(index).padStart(5, '0')}`;
}

/** The price of product `index` in catalogue `version` (version 1 is the first one loaded). */
export function priceAt(version: number, index: number): number {
  // A product's price was last changed by the newest version v' <= version with (index + v') % 10 === 0.
  const lastChange = version - ((index + version) % 10);
  const base = 5 + (mix(index) % 9500) / 100;
  if (lastChange < 1) return round2(base);
  return round2(base * (0.85 + (mix(index * 7919 + lastChange) % 31) / 100));
}

/** Load price table `version` from the feed: a fresh Map, with fresh strings, every time. */
export function loadPriceTable(version: number): PriceTable {
  loads += 1;
  const table: PriceTable = new Map();
  for (let index = 0; index < SKU_COUNT; index += 1) {
    table.set(skuAt(index), priceAt(version, index));
  }
  return table;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A small integer hash (xorshift-multiply), so prices look random but never change. */
function mix(n: number): number {
  let x = (n + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}
