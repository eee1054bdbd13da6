/**
 * Tunables of the profile service. Read from LEAKLAB_* environment variables so that the checker
 * can shorten the cache lifetime (to watch entries expire) without editing your server.ts.
 * Fixture: you do not need to change this file.
 */

import { positiveNumberFromEnv } from '../../kit/lab-config.ts';

export const config = Object.freeze({
  /** At most this many user records are worth keeping in memory at once. */
  cacheMaxEntries: Math.floor(positiveNumberFromEnv('LEAKLAB_CACHE_MAX', 500)),
  /** A cached record older than this is stale and must be fetched again (fractions allowed). */
  cacheTtlSeconds: positiveNumberFromEnv('LEAKLAB_CACHE_TTL_SECONDS', 300),
  /** How often a cache that sweeps on a timer (node-cache's checkperiod) should look for stale records. */
  cacheCheckPeriodSeconds: positiveNumberFromEnv('LEAKLAB_CACHE_CHECK_SECONDS', 60),
});
