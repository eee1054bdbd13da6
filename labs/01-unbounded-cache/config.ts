/**
 * Tunables of the profile service. Read from LEAKLAB_* environment variables, so that the checker
 * (and the hub, and `leaklab run`) can shorten the cache lifetime to watch entries expire within
 * seconds, without editing your server.ts.
 * Fixture: you do not need to change this file.
 */
import { defineTunables } from '../../kit/lab-api.ts';

export const tunables = defineTunables({
  cacheMaxEntries: { env: 'LEAKLAB_CACHE_MAX', shipped: 500, checked: 200, integer: true, about: 'At most this many user records are worth keeping in memory at once.' },
  cacheTtlSeconds: { env: 'LEAKLAB_CACHE_TTL_SECONDS', shipped: 300, checked: 0.4, about: 'A cached record older than this many seconds is stale and must be fetched again (fractions allowed).' },
  cacheCheckPeriodSeconds: {
    env: 'LEAKLAB_CACHE_CHECK_SECONDS',
    shipped: 60,
    checked: 0.05,
    about: "How often, in seconds, a cache that sweeps on a timer (node-cache's checkperiod) should look for stale records.",
  },
});

export const config = tunables.read();
