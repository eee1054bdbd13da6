/**
 * A Prometheus `/metrics` endpoint for a lab server: prom-client's default metrics (heap used,
 * heap spaces, external memory, RSS, GC pauses, ...) plus the one number none of them carries,
 * the V8 heap limit, so that alert rules can say "the heap is at 85% of where this process dies"
 * (ops/prometheus/leaklab-alerts.yml).
 *
 *   import { mountMetrics } from '../../kit/metrics.ts';
 *   mountMetrics(app); // GET /metrics
 *
 * One registry per process: prom-client refuses to register a metric name twice, and its default
 * collectors install a GC observer, so they must be set up exactly once however many servers or
 * modules ask for them. The registry hangs off a global symbol (as kit/lab-api.ts does) so that two
 * copies of this module loaded from different paths still share it.
 */
import v8 from 'node:v8';
import type { IRouter, RequestHandler } from 'express';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Name of the heap-limit gauge; the alert rules divide nodejs_heap_size_used_bytes by it. */
export const HEAP_LIMIT_METRIC = 'nodejs_heap_size_limit_bytes';

const REGISTRY = Symbol.for('leaklab.metrics.registry');
const MOUNTED = Symbol.for('leaklab.metrics.mounted');

type Holder = typeof globalThis & { [REGISTRY]?: Registry; [MOUNTED]?: WeakMap<IRouter, string> };
const holder = globalThis as Holder;

/** The process's one registry, created with its collectors on first use. */
export function metricsRegistry(): Registry {
  holder[REGISTRY] ??= createRegistry();
  return holder[REGISTRY];
}

function createRegistry(): Registry {
  const registry = new Registry();
  // Default collectors read their values at scrape time. Checked on Node 20: after setting them up
  // process.getActiveResourcesInfo() lists nothing new (the checker counts timers there) and the
  // process still exits when its work is done.
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: HEAP_LIMIT_METRIC,
    help: 'V8 heap size limit (v8.getHeapStatistics().heap_size_limit): the process dies when the heap reaches it.',
    registers: [registry],
    // Read from the running process at every scrape rather than computed from flags: the limit
    // is --max-old-space-size plus the young generation, or derived from machine memory.
    collect() {
      this.set(v8.getHeapStatistics().heap_size_limit);
    },
  });
  return registry;
}

/** The Express handler that renders the registry in Prometheus's text format. */
export const metricsHandler: RequestHandler = async (_req, res, next) => {
  try {
    const registry = metricsRegistry();
    const body = await registry.metrics();
    res.type(registry.contentType).send(body);
  } catch (error) {
    next(error);
  }
};

/**
 * Serve the metrics at `GET path` on an Express app or router. Calling it again for the same app
 * and path does nothing (no second route, no second set of collectors); another path on the same
 * app throws, since two endpoints for one registry is almost certainly a mistake.
 */
export function mountMetrics(app: IRouter, path = '/metrics'): void {
  const mounted = (holder[MOUNTED] ??= new WeakMap());
  const existing = mounted.get(app);
  if (existing === path) return;
  if (existing !== undefined) {
    throw new Error(`metrics are already mounted at ${existing} on this app; not mounting them again at ${path}`);
  }
  metricsRegistry();
  app.get(path, metricsHandler);
  mounted.set(app, path);
}
