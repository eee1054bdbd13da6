/**
 * What prom-client's default metrics tell you about memory. nodejs_heap_size_used_bytes is
 * process.memoryUsage().heapUsed; there are per-space gauges, external memory and RSS; but no
 * default metric reports the heap limit, which is the line a leak eventually crosses. The
 * experiment scrapes a real Express /metrics endpoint over loopback, as Prometheus would.
 *
 *   node --import tsx scripts/experiments/prom-default-metrics.ts
 */
import type { AddressInfo } from 'node:net';
import { getHeapStatistics } from 'node:v8';
import express from 'express';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { report } from './lib/harness.ts';

const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** heapUsed read in the same handler that rendered the metrics, to compare with the scraped value. */
let heapUsedAtScrape = 0;

const app = express();
app.get('/metrics', async (_req, res) => {
  const body = await registry.metrics();
  heapUsedAtScrape = process.memoryUsage().heapUsed;
  res.type(registry.contentType).send(body);
});

const server = app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', resolve));
const { port } = server.address() as AddressInfo;

try {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  const value = (name: string) => Number(samples.find((line) => line.startsWith(`${name} `))?.split(' ')[1]);
  const names = [...new Set(samples.map((line) => line.split(/[{ ]/)[0]!))];
  const memoryNames = names.filter((name) => /heap|memory|external|gc_duration/.test(name));
  const heapUsedMetric = value('nodejs_heap_size_used_bytes');
  const limit = getHeapStatistics().heap_size_limit;
  // Without the HTTP rendering in between: read heapUsed, then make prom-client collect at once.
  // (Its collector hangs on the heap *total* gauge and sets the used gauge from the same reading.)
  const heapUsedRead = process.memoryUsage().heapUsed;
  await registry.getSingleMetric('nodejs_heap_size_total_bytes')!.get();
  const gaugeValue = (await registry.getSingleMetric('nodejs_heap_size_used_bytes')!.get()).values[0]!.value;
  report(
    {
      memoryMetrics: memoryNames,
      heapSpaces: samples
        .filter((line) => line.startsWith('nodejs_heap_space_size_used_bytes{'))
        .map((line) => /space="([^"]+)"/.exec(line)![1]),
      heapUsedMetric,
      heapUsedAtScrape,
      // The gauge is read a moment before heapUsedAtScrape; rendering the text allocates a little.
      heapUsedDifferenceBytes: heapUsedAtScrape - heapUsedMetric,
      directReadDifferenceBytes: gaugeValue - heapUsedRead,
      heapSizeLimit: limit,
      metricsNamingALimit: names.filter((name) => /limit/.test(name)),
      samplesEqualToHeapLimit: samples.filter((line) => Number(line.split(' ').at(-1)) === limit).length,
    },
    `nodejs_heap_size_used_bytes=${heapUsedMetric}, heapUsed=${heapUsedAtScrape}; no metric carries heap_size_limit=${limit}`,
  );
} finally {
  server.close();
}
