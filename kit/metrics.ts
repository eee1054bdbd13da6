/**
 * A Prometheus `/metrics` endpoint for a lab server: prom-client's default metrics (heap used,
 * heap spaces, external memory, RSS, GC pauses, ...) plus the two numbers none of them carries:
 * the V8 heap limit, and the old generation's limit the process was started with
 * (--max-old-space-size), which is where a leak actually makes it die, so that alert rules can say
 * "the old generation is at 80% of its limit" (ops/prometheus/leaklab-alerts.yml).
 *
 *   import { mountMetrics } from '../../kit/metrics.ts';
 *   mountMetrics(app); // GET /metrics
 *
 * One registry per process: prom-client refuses to register a metric name twice, and its default
 * collectors install a GC observer, so they must be set up exactly once however many servers or
 * modules ask for them. The registry hangs off a global symbol (as kit/lab-api.ts does) so that two
 * copies of this module loaded from different paths still share it.
 */
import { totalmem } from 'node:os';
import v8 from 'node:v8';
import type { IRouter, RequestHandler } from 'express';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Name of the heap-limit gauge: heap_size_limit, the old generation's limit plus the young generation's reserve. */
export const HEAP_LIMIT_METRIC = 'nodejs_heap_size_limit_bytes';

/** Name of the old generation's limit gauge; the alert rules divide the old generation's size by it. */
export const OLD_GENERATION_LIMIT_METRIC = 'nodejs_heap_old_generation_limit_bytes';

const MIB = 1024 * 1024;

/**
 * The old generation's limit in bytes, from the flags the process was started with:
 * --max-old-space-size=N (MiB), or --max-old-space-size-percentage=P (P% of the memory Node sees:
 * the machine's, or the container's limit when lower). Flags in NODE_OPTIONS come first and the
 * command line after, and the last one given wins, as Node reads them. Null when neither flag was
 * given: V8 then derives the limit from memory, and no process-side API reports it.
 */
export function oldGenerationLimitBytes(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): number | null {
  const flags = [...nodeOptions.split(/\s+/), ...execArgv];
  let limit: number | null = null;
  for (const [index, flag] of flags.entries()) {
    // V8 accepts dashes or underscores, and the value after "=" or as the next argument.
    const match = /^--max[-_]old[-_]space[-_]size([-_]percentage)?(?:=(.*))?$/.exec(flag);
    if (!match) continue;
    const value = Number(match[2] ?? flags[index + 1]);
    if (!Number.isFinite(value) || value <= 0) continue;
    if (match[1]) {
      const constrained = process.constrainedMemory();
      const memory = constrained > 0 && constrained < totalmem() ? constrained : totalmem();
      limit = Math.floor((memory * value) / 100 / MIB) * MIB;
    } else limit = value * MIB;
  }
  return limit;
}

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
  // Only when the process was started with an explicit limit: a made-up value would make the
  // rules page too early or never. Without it, HeapLimitMetricMissing says what to add.
  const oldGenerationLimit = oldGenerationLimitBytes();
  if (oldGenerationLimit !== null) {
    new Gauge({
      name: OLD_GENERATION_LIMIT_METRIC,
      help: 'The old generation limit the process was started with (--max-old-space-size): a leak makes it die when the old generation reaches it.',
      registers: [registry],
    }).set(oldGenerationLimit);
  }
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
