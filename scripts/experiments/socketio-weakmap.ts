/**
 * Per-client state without clean-up code: key a WeakMap by the socket object. socket.id is a
 * string, so it can be neither a WeakMap key nor a number to shard on (`id % 10` is NaN). With the
 * socket as key, the entry lives exactly as long as the socket is reachable: while the client is
 * connected it is there; after disconnect, nothing holds the socket and the entry is collected.
 * A real socket.io 4 server and clients on loopback.
 *
 *   node --import tsx scripts/experiments/socketio-weakmap.ts
 */
import type { Socket } from 'socket.io';
import { ensureFlags, report, settleHeap } from './lib/harness.ts';
import { connect, disconnect, startSocketServer } from './lib/socketio-loopback.ts';

const CLIENTS = 41;

interface ClientState {
  joinedAt: number;
  cursor: number[];
}

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  const server = await startSocketServer();
  const stateBySocket = new WeakMap<Socket, ClientState>();
  let statesFreed = 0;
  const collected = new FinalizationRegistry<string>(() => statesFreed++);

  let idType = '';
  let idModTen = 0;
  let idAsKeyError: string | null = null;
  server.io.on('connection', (socket) => {
    idType = typeof socket.id;
    idModTen = (socket.id as unknown as number) % 10; // what `clientId % 10` sharding computes
    try {
      new WeakMap().set(socket.id as unknown as object, true);
    } catch (error) {
      idAsKeyError = `${(error as Error).name}: ${(error as Error).message}`;
    }
    const state: ClientState = { joinedAt: Date.now(), cursor: new Array<number>(10_000).fill(0) };
    stateBySocket.set(socket, state);
    collected.register(state, socket.id);
  });

  const clients = [];
  for (let i = 0; i < CLIENTS; i++) clients.push(await connect(server));
  await settleHeap();
  const sockets = [...server.io.of('/').sockets.values()];
  const entriesWhileConnected = sockets.filter((socket) => stateBySocket.has(socket)).length;
  const freedWhileConnected = statesFreed;
  sockets.length = 0; // drop this experiment's own strong references to the sockets

  for (const client of clients) await disconnect(server, client);
  await settleHeap(8);
  await server.close();

  report(
    {
      idType,
      idModTen: String(idModTen),
      idAsWeakMapKeyError: idAsKeyError,
      clients: CLIENTS,
      entriesWhileConnected,
      freedWhileConnected,
      freedAfterDisconnect: statesFreed,
    },
    `socket.id is a ${idType}; WeakMap by socket: ${entriesWhileConnected}/${CLIENTS} present while connected, ${statesFreed}/${CLIENTS} freed after disconnect`,
  );
}
