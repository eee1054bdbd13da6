/**
 * Must you call socket.removeAllListeners() on disconnect? No: listeners registered on a
 * socket.io socket belong to the socket and are collected with it. What leaks is a longer-lived
 * object that points at the socket: a listener on an application-wide emitter (until off()), or a
 * Map keyed by socket.id. Each connection here attaches a handler whose closure holds 2 MB of
 * per-client state, so anything left behind shows up plainly in post-GC heapUsed.
 * A real socket.io 4 server and clients on loopback.
 *
 *   node --import tsx scripts/experiments/socketio-listeners.ts
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'socket.io';
import { ensureFlags, report, settledHeapUsed, toMiB } from './lib/harness.ts';
import { connect, disconnect, startSocketServer } from './lib/socketio-loopback.ts';

const CYCLES = 40;
/** 250,000 slots of 8 bytes: 2 MB of per-client state (e.g. a replay buffer). */
const STATE_SLOTS = 250_000;

type Wiring = 'socket-listener' | 'socket-listener-removeAllListeners' | 'bus-listener' | 'bus-listener-off' | 'map-by-id';

/** Application-wide emitter that outlives every connection (a price feed, a job queue...). */
const bus = new EventEmitter();
bus.setMaxListeners(0);
/** Application-wide per-client table keyed by socket.id. */
const stateById = new Map<string, number[]>();

/** Attach one client's handlers the way `wiring` says; the handler's closure holds its state. */
function wire(socket: Socket, wiring: Wiring): void {
  const state = new Array<number>(STATE_SLOTS).fill(0);
  const onPrice = (price: number) => socket.emit('price', { price, buffered: state.length });
  switch (wiring) {
    case 'socket-listener':
      socket.on('subscribe', () => socket.emit('ack', state.length));
      break;
    case 'socket-listener-removeAllListeners':
      socket.on('subscribe', () => socket.emit('ack', state.length));
      socket.on('disconnect', () => socket.removeAllListeners());
      break;
    case 'bus-listener':
      bus.on('price', onPrice);
      break;
    case 'bus-listener-off':
      bus.on('price', onPrice);
      socket.on('disconnect', () => bus.off('price', onPrice));
      break;
    case 'map-by-id':
      stateById.set(socket.id, state);
      break;
  }
}

interface WiringResult {
  socketsFreed: number;
  retainedMiB: number;
}

async function connectAndDisconnect(wiring: Wiring): Promise<WiringResult> {
  const server = await startSocketServer();
  let freed = 0;
  const collected = new FinalizationRegistry<string>(() => freed++);
  server.io.on('connection', (socket) => {
    collected.register(socket, socket.id);
    wire(socket, wiring);
  });
  const before = await settledHeapUsed();
  for (let i = 0; i < CYCLES; i++) {
    const client = await connect(server);
    await disconnect(server, client);
  }
  const after = await settledHeapUsed();
  await server.close();
  return { socketsFreed: freed, retainedMiB: toMiB(after - before) };
}

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  // Warm-up: the first connections load and compile socket.io's code paths, which would
  // otherwise be counted against whichever wiring is measured first.
  await connectAndDisconnect('socket-listener');
  const results: Record<string, WiringResult> = {};
  for (const wiring of ['socket-listener', 'socket-listener-removeAllListeners', 'bus-listener'] as const) {
    results[wiring] = await connectAndDisconnect(wiring);
  }
  // The bus still holds every listener: remove them the way a fix would, and count again.
  const busListenersLeft = bus.listenerCount('price');
  const beforeOff = await settledHeapUsed();
  bus.removeAllListeners('price');
  const releasedByOffMiB = toMiB(beforeOff - (await settledHeapUsed()));
  results['bus-listener-off'] = await connectAndDisconnect('bus-listener-off');
  results['map-by-id'] = await connectAndDisconnect('map-by-id');

  report(
    {
      cycles: CYCLES,
      stateMiBPerClient: toMiB(STATE_SLOTS * 8),
      results,
      busListenersLeftAfterDisconnects: busListenersLeft,
      releasedByRemovingBusListenersMiB: releasedByOffMiB,
      mapEntriesLeft: stateById.size,
    },
    Object.entries(results)
      .map(([wiring, r]) => `${wiring}: ${r.socketsFreed}/${CYCLES} freed, +${r.retainedMiB} MiB`)
      .join('; '),
  );
}
