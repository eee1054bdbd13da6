/**
 * A small service whose memory follows a plan, for recording real metric series for the alert
 * rules' promtool tests (record.ts). It serves /metrics exactly as kit/metrics.ts does for any
 * service, and POST /tick?minute=M does one scenario-minute of work: requests that make garbage,
 * plus whatever the plan says that minute keeps (a leak, a cache filling, Buffers, a spike).
 * The recorder calls /tick, then scrapes /metrics, once per scenario-minute: the series are what
 * this real process reported, only faster than real time.
 *
 *   LEAKLAB_ALERT_PLAN='{"leakKiBPerMinute": 3072}' node --max-old-space-size=256 --import tsx service.ts
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { mountMetrics } from '../../../kit/metrics.ts';

/** What the service does each scenario-minute. Every field is optional; sizes are approximate. */
export interface Plan {
  /** MiB of short-lived request data made per minute (garbage), at the start and at the end of
   *  the scenario: it grows linearly from one to the other (rising traffic). The default, 64 MiB,
   *  fills a young generation at least once a minute, as a busy service does: with much less, a
   *  10-minute window would see too few collections for its lowest reading to be a post-GC one. */
  garbageMiBPerMinute?: [number, number];
  /** MiB of request data that lives for two minutes (sessions, requests in flight): it outlives a
   *  few minor collections, ends up in the old generation and dies there, so major collections
   *  come every few minutes, as in a real service. Default 8. */
  inFlightMiBPerMinute?: number;
  /** Heap kept for good per minute: a leak. */
  leakKiBPerMinute?: number;
  /** Buffer bytes (outside the JS heap) kept for good per minute: an off-heap leak. */
  bufferKiBPerMinute?: number;
  /** Data held from the start: a big but flat working set. */
  workingSetMiB?: number;
  /** A bounded cache that fills evenly over the first `minutes`, then stays full. */
  warmup?: { minutes: number; MiB: number };
  /** A cache filled once, at `minute`, and kept. */
  step?: { minute: number; MiB: number };
  /** A burst held for `minutes` from `minute`, then released. */
  spike?: { minute: number; MiB: number; minutes: number };
  /** How many minutes the scenario lasts (for the garbage ramp). */
  minutes: number;
}

const plan = JSON.parse(process.env.LEAKLAB_ALERT_PLAN ?? '{"minutes": 60}') as Plan;

/** A record the size of a small session: 256 bytes of heap each with its strings (measured on Node 20 and 24). */
function record(id: number): { id: number; name: string; seen: number } {
  return { id, name: `user-${id}-${'x'.repeat(40)}`, seen: Date.now() };
}

const RECORD_BYTES = 256;

let nextId = 0;

/** New records (each with its own id) that make up about `kib` KiB of heap. */
function records(kib: number): Array<ReturnType<typeof record>> {
  return Array.from({ length: Math.round((kib * 1024) / RECORD_BYTES) }, () => record(nextId++));
}

const leaked: unknown[] = [];
const buffers: Buffer[] = [];
const cache: unknown[] = [];
const workingSet = plan.workingSetMiB ? records(plan.workingSetMiB * 1024) : [];
let spike: unknown[] = [];
/** The last two minutes' in-flight data: the oldest goes when a new minute's arrives. */
const inFlight: unknown[][] = [];
/** The last request's data stays reachable, so the optimiser cannot skip making the others. */
let lastRequest: unknown[] = [];
/** Garbage comes in 8 KiB arrays: cheap to make in bulk, and heap like any request's data. */
const GARBAGE_CHUNK_SLOTS = 1024;

function tick(minute: number): void {
  const [garbageFrom, garbageTo] = plan.garbageMiBPerMinute ?? [64, 64];
  const garbageMiB = garbageFrom + ((garbageTo - garbageFrom) * minute) / plan.minutes;
  const chunks = Math.round((garbageMiB * 1024 * 1024) / (GARBAGE_CHUNK_SLOTS * 8));
  for (let i = 0; i < chunks; i++) lastRequest = new Array(GARBAGE_CHUNK_SLOTS);
  inFlight.push(records((plan.inFlightMiBPerMinute ?? 8) * 1024));
  if (inFlight.length > 2) inFlight.shift();
  if (plan.leakKiBPerMinute) leaked.push(records(plan.leakKiBPerMinute));
  if (plan.bufferKiBPerMinute) buffers.push(Buffer.alloc(plan.bufferKiBPerMinute * 1024, minute % 256));
  if (plan.warmup && minute < plan.warmup.minutes) cache.push(records((plan.warmup.MiB * 1024) / plan.warmup.minutes));
  if (plan.step && minute === plan.step.minute) cache.push(records(plan.step.MiB * 1024));
  if (plan.spike && minute === plan.spike.minute) spike = records(plan.spike.MiB * 1024);
  if (plan.spike && minute === plan.spike.minute + plan.spike.minutes) spike = [];
}

const app = express();
mountMetrics(app);
app.post('/tick', (req, res) => {
  tick(Number(req.query.minute));
  res.json({ minute: Number(req.query.minute), held: workingSet.length + spike.length, lastRequest: lastRequest.length });
});

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
