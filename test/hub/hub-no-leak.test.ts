/**
 * The hub itself must not leak: a learner leaves it running for a day while pages connect and
 * leave, labs start and stop and load runs come and go. We run the hub under the kit's own
 * machinery (startLab: probe, forced GC, post-GC samples) and judge its heap with the same rule
 * the checker applies to a lab (kit/verdict's median per-round increment against its uncertainty).
 * One operation = one browser connection; each round also starts a lab, loads it and stops it.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { io } from 'socket.io-client';
import { startLab, type LabProcess } from '../../kit/lab-process.ts';
import type { RoundRecord } from '../../kit/types.ts';
import { memoryTrend } from '../../kit/verdict/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LAB = '01-unbounded-cache';
const CONNECTIONS_PER_ROUND = 20;
const WARMUP_ROUNDS = 3;
const MEASURED_ROUNDS = Number(process.env.ROUNDS ?? 6);

let hub: LabProcess;

before(async () => {
  // quiet: the kit's JIT flags, as the checker uses for labs. Without them the hub's post-GC heap
  // drifts up by compiled code for a while (measured with kit/snapshots on this test's workload:
  // 1,282 new code objects, +450 KB over 10 rounds, and +145 plain Objects that were the bounded
  // GC-event ring filling up), which is V8 tiering up, not a leak.
  hub = await startLab({ entry: path.join(ROOT, 'test/hub/fixtures/hub-entry.ts'), displayName: 'the hub', listenTimeoutMs: 20_000, quiet: true });
});

after(async () => {
  await hub?.stop();
});

/** A browser's visit: connect, join the lab's room, receive a few samples, leave. */
async function visit(withAction?: (emit: (event: string, payload: unknown) => Promise<any>) => Promise<void>): Promise<void> {
  const socket = io(hub.url, { transports: ['websocket'], reconnection: false, extraHeaders: { origin: hub.url }, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const emit = (event: string, payload: unknown) => new Promise<any>((resolve) => socket.emit(event, payload, resolve));
  const joined = await emit('lab:join', { lab: LAB });
  assert.equal(joined.ok, true, joined.error);
  if (withAction) await withAction(emit);
  socket.close();
}

async function round(): Promise<void> {
  // One visitor drives a lab's whole life: start, load with progress, force GC, stop.
  await visit(async (emit) => {
    const started = await emit('lab:start', { lab: LAB, variant: 'learner' });
    assert.equal(started.ok, true, started.error);
    const loaded = await emit('lab:load', { lab: LAB, count: 100 });
    assert.equal(loaded.ok, true, loaded.error);
    await emit('lab:gc', { lab: LAB });
    await emit('lab:stop', { lab: LAB, variant: 'learner' });
  });
  // The other visitors come and go.
  const others = Array.from({ length: CONNECTIONS_PER_ROUND - 1 }, () => visit());
  await Promise.all(others);
}

it('keeps its post-GC heap flat across connections, lab starts and stops, and load runs', { timeout: 180_000 }, async (t) => {
  const rounds: RoundRecord[] = [];
  let ops = 0;
  for (let r = 0; r < WARMUP_ROUNDS + MEASURED_ROUNDS; r++) {
    await round();
    ops += CONNECTIONS_PER_ROUND;
    // Closed sockets are released asynchronously: settle, then collect several times.
    const sample = await hub.sample(true, { gcCount: 4, settleMs: 50 });
    rounds.push({ ops, measured: r >= WARMUP_ROUNDS, sample });
  }
  const trend = memoryTrend(rounds, 'heap objects');
  const heaps = rounds.map((r) => `${(r.sample.heapUsed / 1024).toFixed(0)} KiB`).join(', ');
  t.diagnostic(`post-GC heapUsed per round: ${heaps}; slope ${Math.round(trend.bytesPerOp)} B/connection, noise ${Math.round(trend.noiseBytes)} B`);
  assert.notEqual(
    trend.decision,
    'leak',
    `the hub's post-GC heap grew ${Math.round(trend.bytesPerOp)} B per connection (growth ${Math.round(trend.growthBytes)} B, noise ${Math.round(trend.noiseBytes)} B): ${heaps}`,
  );
  // And a hard ceiling on growth per visitor, whatever the noise: a retained socket costs kilobytes.
  assert.ok(trend.bytesPerOp < 1024, `post-GC heap grew ${Math.round(trend.bytesPerOp)} B per connection: ${heaps}`);
});
