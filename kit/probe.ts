/**
 * The probe: loaded into every lab process with `--import`, beside the learner's code and never
 * written into it. It tells the parent (the checker or the hub) which port the server listens on,
 * and answers its questions over the IPC channel: a memory sample after a forced GC, a heap
 * snapshot, GC events as they happen, and "are you alive?" so a blocked event loop is noticed.
 *
 * It keeps itself small and quiet: no timers of its own (they would show up in the active-resource
 * counts the checker reads), no allocations between samples, and it never keeps the process alive.
 */
import net from 'node:net';
import v8 from 'node:v8';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { gaugeLabels, readGauges } from './lab-api.ts';
import type { GcEvent, ProbeSample } from './types.ts';

/** Requests the parent sends. `id` pairs a reply with its request. */
export type ProbeRequest =
  | { id: number; cmd: 'ping' }
  | { id: number; cmd: 'sample'; gc: boolean; gcCount?: number; settleMs?: number }
  | { id: number; cmd: 'snapshot'; path: string }
  | { id: number; cmd: 'observe-gc'; on: boolean };

/** What the probe sends: replies to requests, and pushed events. */
export type ProbeMessage =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'listening'; port: number }
  | { type: 'gc'; event: GcEvent };

const send = (message: ProbeMessage): void => {
  // Without an IPC channel (someone ran the file by hand with --import) the probe stays silent.
  if (process.send && process.connected) process.send(message);
};

// --- 1. Report the first server that listens, whichever port it got (PORT=0 gives a free one).
let reportedListening = false;
const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function patchedListen(this: net.Server, ...args: unknown[]) {
  this.once('listening', () => {
    const address = this.address();
    if (reportedListening || address === null || typeof address === 'string') return;
    reportedListening = true;
    send({ type: 'listening', port: address.port });
  });
  return (originalListen as (...a: unknown[]) => net.Server).apply(this, args);
} as typeof net.Server.prototype.listen;

// --- 2. Memory samples.
const forceGc = (globalThis as { gc?: () => void }).gc;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function takeSample(gc: boolean, gcCount = 2, settleMs = 5): Promise<ProbeSample> {
  if (gc) {
    if (!forceGc) throw new Error('global.gc is missing: the lab process was started without --expose-gc');
    // Closes (sockets, 'close' handlers removing listeners) are processed asynchronously: let them
    // run before collecting, or a fixed server still shows the listeners of clients that just left.
    // On a busy machine the server may still be closing the connections of clients that left: wait
    // (a little, within a bound) until its count of open sockets stops falling.
    await wait(settleMs);
    await untilSocketsSettle();
    for (let i = 0; i < gcCount; i++) {
      forceGc();
      // A turn between collections lets weak callbacks and finalizers run, so the next GC frees
      // what they released.
      await nextTurn();
    }
  }
  const memory = process.memoryUsage();
  const spaces: Record<string, number> = {};
  for (const space of v8.getHeapSpaceStatistics()) spaces[space.space_name] = space.space_used_size;
  return {
    t: Date.now(),
    afterGc: gc,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    rss: memory.rss,
    spaces,
    heapSizeLimit: v8.getHeapStatistics().heap_size_limit,
    activeResources: countActiveResources(),
    gauges: readGauges(),
    gaugeLabels: gaugeLabels(),
  };
}

/** Most time to wait for the open sockets to stop closing before a forced-GC sample. */
const SOCKET_SETTLE_LIMIT_MS = 2000;
const SOCKET_SETTLE_STEP_MS = 20;

async function untilSocketsSettle(): Promise<void> {
  const sockets = () => process.getActiveResourcesInfo().filter((type) => type === 'TCPSocketWrap').length;
  const until = Date.now() + SOCKET_SETTLE_LIMIT_MS;
  let last = sockets();
  while (Date.now() < until) {
    await wait(SOCKET_SETTLE_STEP_MS);
    const now = sockets();
    if (now >= last) return;
    last = now;
  }
}

function countActiveResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

// --- 3. GC events, pushed only while the parent asks for them.
const GC_KINDS: Record<number, GcEvent['kind']> = {
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
let gcObserver: PerformanceObserver | undefined;

function observeGc(on: boolean): void {
  gcObserver?.disconnect();
  gcObserver = undefined;
  if (!on) return;
  gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = GC_KINDS[((entry as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind ?? -1] ?? 'major';
      send({ type: 'gc', event: { t: Math.round(performance.timeOrigin + entry.startTime), kind, durationMs: entry.duration } });
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
}

// --- 4. The request loop.
async function answer(request: ProbeRequest): Promise<unknown> {
  switch (request.cmd) {
    case 'ping':
      return { pid: process.pid, listening: reportedListening };
    case 'sample':
      return takeSample(request.gc, request.gcCount, request.settleMs);
    case 'snapshot':
      // Synchronous and heavy (the snapshot-cost experiment): the parent decides when this is acceptable.
      return v8.writeHeapSnapshot(request.path);
    case 'observe-gc':
      observeGc(request.on);
      return { observing: request.on };
  }
}

if (process.send) {
  process.on('message', (raw: unknown) => {
    const request = raw as ProbeRequest;
    if (typeof request !== 'object' || request === null || typeof request.id !== 'number') return;
    answer(request).then(
      (result) => send({ type: 'reply', id: request.id, ok: true, result }),
      (error: unknown) => send({ type: 'reply', id: request.id, ok: false, error: String((error as Error)?.message ?? error) }),
    );
  });
  // The channel must not keep the process alive: a file that never listens should be allowed to end.
  (process.channel as { unref?: () => void } | undefined)?.unref?.();
  // If the parent dies without stopping us (even SIGKILL), the channel closes: leave with it, so no
  // lab process is ever orphaned.
  process.on('disconnect', () => process.exit(0));
}
