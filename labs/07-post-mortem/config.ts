/**
 * Tunables of the corner-shop service. Read from LEAKLAB_* environment variables so that the
 * checker can change them without editing your server.ts.
 * Fixture: you do not need to change this file.
 */

import { positiveNumberFromEnv } from '../../kit/lab-config.ts';

export const config = Object.freeze({
  /** How many products the product cache keeps. */
  productCacheMax: positiveNumberFromEnv('LEAKLAB_PRODUCT_CACHE_MAX', 500),
  /** How long a product stays cached, in milliseconds. */
  productCacheTtlMs: positiveNumberFromEnv('LEAKLAB_PRODUCT_CACHE_TTL_MS', 60_000),
  /** A cart nobody touched for this many milliseconds is thrown away. */
  cartIdleMs: positiveNumberFromEnv('LEAKLAB_CART_IDLE_MS', 30 * 60_000),
  /** How many recent orders the (simulated) order database keeps in memory. */
  ordersKept: positiveNumberFromEnv('LEAKLAB_ORDERS_KEPT', 100),
  /** Milliseconds between two updates of the figures GET /stats shows. */
  statsEveryMs: positiveNumberFromEnv('LEAKLAB_STATS_EVERY_MS', 5_000),
});
