/**
 * kit/metrics.ts on a real Express server on loopback, scraped over HTTP as Prometheus would:
 * the served numbers are this process's own (heapUsed, the V8 heap limit), every series the alert
 * rules read is there, and mounting twice neither duplicates a route nor breaks the registry.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import v8 from 'node:v8';
import { after, before, describe, it } from 'node:test';
import express, { type Express } from 'express';
import YAML from 'yaml';
import { HEAP_LIMIT_METRIC, OLD_GENERATION_LIMIT_METRIC, metricsRegistry, mountMetrics } from '../../kit/metrics.ts';

const RULES_FILE = path.resolve(import.meta.dirname, '..', '..', 'ops', 'prometheus', 'leaklab-alerts.yml');

/** Samples of a Prometheus text exposition by series (name plus labels), comments left out. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return samples;
}

async function listen(app: Express): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections(); // fetch keeps connections alive; do not wait for them to time out
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('mountMetrics on a real Express server', () => {
  let server: Server;
  let url: string;
  /** heapUsed read inside the server just before the metrics handler ran. */
  let heapUsedBeforeHandler = 0;

  before(async () => {
    const app = express();
    app.use('/metrics', (_req, _res, next) => {
      heapUsedBeforeHandler = process.memoryUsage().heapUsed;
      next();
    });
    mountMetrics(app);
    ({ server, url } = await listen(app));
  });

  after(() => close(server));

  it('serves the Prometheus text format at /metrics', async () => {
    const response = await fetch(`${url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.match(text, new RegExp(`^# TYPE ${HEAP_LIMIT_METRIC} gauge$`, 'm'));
  });

  it('nodejs_heap_size_used_bytes is this process heapUsed at scrape time', async () => {
    const samples = parseExposition(await (await fetch(`${url}/metrics`)).text());
    const served = samples.get('nodejs_heap_size_used_bytes');
    assert.ok(served !== undefined && served > 0, 'nodejs_heap_size_used_bytes is served');
    // Read a moment apart in the same process: only what the handler allocates in between (or a
    // collection) separates them, measured at a few hundred KB at most. heapTotal or RSS would be
    // a different quantity, megabytes away.
    const difference = Math.abs(served - heapUsedBeforeHandler);
    assert.ok(difference < 1024 * 1024, `served ${served}, heapUsed ${heapUsedBeforeHandler}: ${difference} bytes apart`);
  });

  it('the heap-limit gauge is v8.getHeapStatistics().heap_size_limit', async () => {
    const samples = parseExposition(await (await fetch(`${url}/metrics`)).text());
    assert.equal(samples.get(HEAP_LIMIT_METRIC), v8.getHeapStatistics().heap_size_limit);
  });

  it('serves every series the alert rules read', async () => {
    const samples = parseExposition(await (await fetch(`${url}/metrics`)).text());
    const served = new Set([...samples.keys()].map((series) => series.split('{')[0]));
    const rules = YAML.parse(readFileSync(RULES_FILE, 'utf8')) as { groups: { rules: { expr: string; record?: string }[] }[] };
    const read = new Set(rules.groups.flatMap((group) => group.rules.flatMap((rule) => rule.expr.match(/\b(?:nodejs|process)_[a-z_]+\b/g) ?? [])));
    // Series the rules file computes itself (recording rules) are not scraped.
    for (const group of rules.groups) for (const rule of group.rules) if (rule.record) read.delete(rule.record);
    assert.ok(read.size >= 4, `found the rules' series: ${[...read].join(', ')}`);
    // The old generation's limit is served only by a process started with one (this test process
    // has none): test/ops/old-generation-limit.test.ts starts processes with and without it.
    read.delete(OLD_GENERATION_LIMIT_METRIC);
    for (const name of read) assert.ok(served.has(name), `${name} is read by the alert rules but not served`);
  });
});

describe('mountMetrics called more than once', () => {
  it('twice on one app adds no second route and keeps one registry', async () => {
    const app = express();
    const registry = metricsRegistry();
    mountMetrics(app);
    mountMetrics(app);
    const routes = (app.router.stack as { route?: { path: string } }[]).filter((layer) => layer.route?.path === '/metrics');
    assert.equal(routes.length, 1);
    assert.equal(metricsRegistry(), registry, 'the same registry for the whole process');
    const { server, url } = await listen(app);
    try {
      const samples = parseExposition(await (await fetch(`${url}/metrics`)).text());
      assert.equal(samples.get(HEAP_LIMIT_METRIC), v8.getHeapStatistics().heap_size_limit);
    } finally {
      await close(server);
    }
  });

  it('on a second app in the same process serves the same metrics', async () => {
    const first = express();
    const second = express();
    mountMetrics(first);
    mountMetrics(second);
    const a = await listen(first);
    const b = await listen(second);
    try {
      const [fromFirst, fromSecond] = await Promise.all([a, b].map(async ({ url }) => parseExposition(await (await fetch(`${url}/metrics`)).text())));
      assert.equal(fromFirst!.get(HEAP_LIMIT_METRIC), fromSecond!.get(HEAP_LIMIT_METRIC));
      assert.equal(fromFirst!.get('process_start_time_seconds'), fromSecond!.get('process_start_time_seconds'));
    } finally {
      await close(a.server);
      await close(b.server);
    }
  });

  it('at a second path on the same app is refused with the path already in use', () => {
    const app = express();
    mountMetrics(app);
    assert.throws(() => mountMetrics(app, '/internal/metrics'), /already mounted at \/metrics/);
  });
});
