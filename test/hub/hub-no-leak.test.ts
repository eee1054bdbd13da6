/**
 * The hub itself must not leak, nor hold memory for a client that stops reading: a learner leaves
 * it running for a day while pages connect and leave, labs start and stop and load runs come and
 * go, and a frozen tab can stop reading at any time. We run the hub under the kit's own machinery
 * (startLab: probe, forced GC, post-GC samples) and measure its heap with the checker's trend
 * statistics (kit/verdict: a robust slope and its margin). One operation = one browser connection.
 *
 * Sized so that it can see a leak of 100 B per connection: the slope's margin must be under half of
 * that, so that 100 B would stand clear of it, and the test checks that this run was that precise.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { io } from 'socket.io-client';
import { startLab, type LabProcess } from '../../kit/lab-process.ts';
import type { ProbeSample, RoundRecord } from '../../kit/types.ts';
import { memoryTrend } from '../../kit/verdict/index.ts';
import { useScratchLearner } from './scratch.ts';
import { stuckClient } from './stuck-client.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LAB = '01-unbounded-cache';
const CONNECTIONS_PER_ROUND = 250;
const AT_ONCE = 25;
const WARMUP_ROUNDS = 3;
const MEASURED_ROUNDS = Number(process.env.ROUNDS ?? 7);
/** The smallest leak per connection this test must be able to see. */
const VISIBLE_LEAK_BYTES = 100;

let hub: LabProcess;
// The hub process inherits these: its workspace copies and output go to scratch folders.
const scratch = useScratchLearner();

before(async () => {
  // quiet: the kit's JIT flags, as the checker uses for labs. Without them the hub's post-GC heap
  // drifts up by compiled code for a while (measured with kit/snapshots on this test's workload:
  // 1,282 new code objects, +450 KB over 10 rounds, and +145 plain Objects that were the bounded
  // GC-event ring filling up), which is V8 tiering up, not a leak.
  hub = await startLab({ entry: path.join(ROOT, 'test/hub/fixtures/hub-entry.ts'), displayName: 'the hub', listenTimeoutMs: 60_000, quiet: true });
});

after(async () => {
  await hub?.stop();
  scratch.cleanUp();
});

type Emit = (event: string, payload: unknown) => Promise<any>;

/** A browser's visit: connect, join the lab's room, optionally act, leave. */
async function visit(withAction?: (emit: Emit) => Promise<void>): Promise<void> {
  const socket = io(hub.url, { transports: ['websocket'], reconnection: false, extraHeaders: { origin: hub.url }, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const emit: Emit = (event, payload) => new Promise<any>((resolve) => socket.emit(event, payload, resolve));
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
  // The other visitors come and go, a few at a time.
  for (let done = 1; done < CONNECTIONS_PER_ROUND; done += AT_ONCE) {
    await Promise.all(Array.from({ length: Math.min(AT_ONCE, CONNECTIONS_PER_ROUND - done) }, () => visit()));
  }
}

/** Post-GC: closed sockets are released asynchronously, so settle, then collect several times. */
const settled = () => hub.sample(true, { gcCount: 4, settleMs: 50 });
const kept = (s: ProbeSample) => s.heapUsed + s.external;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

it('keeps its post-GC heap flat across connections, lab starts and stops, and load runs', { timeout: 600_000 }, async (t) => {
  const rounds: RoundRecord[] = [];
  let ops = 0;
  for (let r = 0; r < WARMUP_ROUNDS + MEASURED_ROUNDS; r++) {
    await round();
    ops += CONNECTIONS_PER_ROUND;
    rounds.push({ ops, measured: r >= WARMUP_ROUNDS, sample: await settled() });
  }
  const trend = memoryTrend(rounds, 'heap objects');
  const heaps = rounds.map((r) => `${(r.sample.heapUsed / 1024).toFixed(0)} KiB`).join(', ');
  t.diagnostic(`post-GC heapUsed per round: ${heaps}; slope ${Math.round(trend.bytesPerOp)} ± ${Math.round(trend.marginPerOp)} B/connection, noise ${Math.round(trend.noiseBytes)} B`);
  assert.ok(
    trend.marginPerOp <= VISIBLE_LEAK_BYTES / 2,
    `this run could not have seen a leak of ${VISIBLE_LEAK_BYTES} B per connection: its margin was ±${Math.round(trend.marginPerOp)} B (noise ${Math.round(trend.noiseBytes)} B over ${trend.windowOps} connections)`,
  );
  assert.ok(
    trend.bytesPerOp - trend.marginPerOp <= VISIBLE_LEAK_BYTES / 2,
    `the hub's post-GC heap grew ${Math.round(trend.bytesPerOp)} ± ${Math.round(trend.marginPerOp)} B per connection: ${heaps}`,
  );
});

it('cuts off a client that sends 3,000 requests and reads nothing, and its memory comes back', { timeout: 300_000 }, async (t) => {
  // A running lab with some history makes each answer to a join tens of KiB, as in a real tab.
  const keeper = io(hub.url, { transports: ['websocket'], reconnection: false, extraHeaders: { origin: hub.url }, forceNew: true });
  await new Promise<void>((resolve) => keeper.once('connect', () => resolve()));
  const emit: Emit = (event, payload) => new Promise<any>((resolve) => keeper.emit(event, payload, resolve));
  assert.equal((await emit('lab:start', { lab: LAB, variant: 'learner' })).ok, true);
  for (let i = 0; i < 600; i++) {
    const joined = await emit('lab:join', { lab: LAB });
    if (joined.state.history[0]?.samples.t.length >= 40) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const answerBytes = JSON.stringify((await emit('lab:join', { lab: LAB })).state).length;
  const before = await settled();

  const stuck = await stuckClient(hub.url, LAB, 3000);
  let peakRss = before.rss;
  try {
    // Wait (bounded) until the hub has cut the stuck client off: only the keeper stays connected.
    // The client answers the heartbeat, so nothing but the hub's backlog limit ends it.
    for (let i = 0; i < 1200; i++) {
      const now = await hub.sample(false);
      peakRss = Math.max(peakRss, now.rss);
      if (now.gauges.hubConnections === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const connected = (await hub.sample(false)).gauges.hubConnections;
    assert.equal(connected, 1, `the hub still holds the client that reads nothing (${connected} connected)`);
  } finally {
    stuck.close();
  }
  const afterAbuse = await settled();
  keeper.close();
  t.diagnostic(
    `each join answer ${Math.round(answerBytes / 1024)} KiB (3,000 asked: ${mib(3000 * answerBytes)} if all were kept); ` +
      `post-GC heapUsed + external ${mib(kept(before))} → ${mib(kept(afterAbuse))}; rss ${mib(before.rss)}, peak ${mib(peakRss)}`,
  );
  assert.ok(kept(afterAbuse) - kept(before) < 4 * 1024 * 1024, `the hub kept ${mib(kept(afterAbuse) - kept(before))} after the stuck client was gone`);
  assert.ok(peakRss - before.rss < 256 * 1024 * 1024, `the hub's memory rose ${mib(peakRss - before.rss)} while the client was stuck`);
});
