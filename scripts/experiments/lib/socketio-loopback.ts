/**
 * A real socket.io server and client on loopback, for the socket.io experiments: start a server
 * on a free port, connect a client and wait until the server has its socket, disconnect it and
 * wait until the server has let it go.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';

export interface Loopback {
  io: Server;
  url: string;
  close: () => Promise<void>;
}

/** Start a socket.io server on 127.0.0.1 and a free port. */
export async function startSocketServer(options: Partial<ServerOptions> = {}): Promise<Loopback> {
  const http: HttpServer = createServer();
  const io = new Server(http, options);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    io,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}

/**
 * Connect one client (WebSocket transport, no reconnection) and resolve with it once the server's
 * 'connection' handlers have run for it.
 */
export function connect(server: Loopback): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const client = connectClient(server.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const onConnection = (socket: Socket) => {
      if (socket.id !== client.id) return;
      server.io.off('connection', onConnection);
      // The server's own 'connection' handlers were registered first and have run by now.
      resolve(client);
    };
    client.once('connect', () => {
      // The server side connects before the client hears about it: check it is already there.
      if (server.io.of('/').sockets.has(client.id!)) resolve(client);
      else server.io.on('connection', onConnection);
    });
    client.once('connect_error', reject);
  });
}

/** Disconnect a client and resolve when the server has removed its socket. */
export function disconnect(server: Loopback, client: ClientSocket): Promise<void> {
  const id = client.id!;
  const socket = server.io.of('/').sockets.get(id);
  return new Promise((resolve) => {
    if (!socket) {
      client.disconnect();
      resolve();
      return;
    }
    socket.once('disconnect', () => setImmediate(resolve));
    client.disconnect();
  });
}
