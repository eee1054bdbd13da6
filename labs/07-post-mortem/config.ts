/**
 * Tunables of the corner-shop service. Read from LEAKLAB_* environment variables, so that the
 * checker can change them without editing your server.ts: its values keep every bounded structure
 * small, so it is full before measuring starts and only a leak keeps growing.
 * Fixture: you do not need to change this file.
 */
import { defineTunables } from '../../kit/lab-api.ts';

export const tunables = defineTunables({
  productCacheMax: { env: 'LEAKLAB_PRODUCT_CACHE_MAX', shipped: 500, checked: 50, integer: true, about: 'How many products the product cache keeps.' },
  productCacheTtlMs: { env: 'LEAKLAB_PRODUCT_CACHE_TTL_MS', shipped: 60_000, checked: 60_000, about: 'How long a product stays cached, in milliseconds.' },
  cartIdleMs: { env: 'LEAKLAB_CART_IDLE_MS', shipped: 30 * 60_000, checked: 30 * 60_000, about: 'A cart nobody touched for this many milliseconds is thrown away.' },
  ordersKept: { env: 'LEAKLAB_ORDERS_KEPT', shipped: 100, checked: 50, integer: true, about: 'How many recent orders the (simulated) order database keeps in memory.' },
  statsEveryMs: { env: 'LEAKLAB_STATS_EVERY_MS', shipped: 5_000, checked: 200, about: 'Milliseconds between two updates of the figures GET /stats shows.' },
});

export const config = tunables.read();
