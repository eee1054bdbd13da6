/**
 * Live cursors on a shared document: each browser connects with socket.io, says 'hello' with a
 * name, and sends 'cursor' positions; everyone else receives them to draw coloured cursors.
 * GET /presence lists who is looking at the document right now.
 *
 * Lab 06: memory grows with every browser that ever connected, and people whose laptop lid closed
 * stay "present" for the better part of a minute.
 */
import { realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Server, type Socket } from 'socket.io';
import { config } from './config.ts';
import { countConnectedClients, openPresence, recordCursor, type Presence } from './presence.ts';

export const app = express();
export const httpServer = createServer(app);
// Fix: a client whose network vanished never says goodbye; only the ping tells. The server pings
// every pingInterval and drops a client that has not answered within pingTimeout, so it is gone
// (and 'disconnect' fires) within their sum, instead of socket.io's default 25 s + 20 s.
export const io = new Server(httpServer, { pingInterval: config.pingIntervalMs, pingTimeout: config.pingTimeoutMs });
countConnectedClients(io);

// Fix: keyed by the socket object, not by its id string. A WeakMap entry lives only as long as
// its key is reachable from somewhere else; socket.io lets go of a socket when it disconnects, so
// the presence goes with it, whatever the reason for leaving, with no clean-up code to forget.
// (A WeakMap cannot take the id: its keys must be objects, see the weakmap-keys experiment.)
const presences = new WeakMap<Socket, Presence>();

/** The presence of everyone connected now, in connection order. */
function whoIsHere(): Presence[] {
  const here: Presence[] = [];
  for (const socket of io.sockets.sockets.values()) {
    const presence = presences.get(socket);
    if (presence) here.push(presence);
  }
  return here;
}

app.get('/presence', (_req, res) => {
  res.json({ online: whoIsHere().map(({ name, colour }) => ({ name, colour })) });
});

io.on('connection', (socket) => {
  socket.on('hello', (name: unknown, ack?: (answer: { colour: string }) => void) => {
    const presence = openPresence(name);
    presences.set(socket, presence);
    if (typeof ack === 'function') ack({ colour: presence.colour });
  });

  socket.on('cursor', (position: unknown) => {
    const presence = presences.get(socket);
    const move = presence && recordCursor(presence, position);
    if (move) socket.broadcast.emit('cursor', move);
  });
});

// Listen only when this file is the program being run, so a test can import `app` and `io` on their own.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === import.meta.filename) {
  const host = process.env.HOST ?? '127.0.0.1';
  httpServer.listen(Number(process.env.PORT ?? 3000), host, () => {
    const { port } = httpServer.address() as AddressInfo;
    console.log(`Lab 06 · Socket state listening on http://${host}:${port}`);
  });
}
