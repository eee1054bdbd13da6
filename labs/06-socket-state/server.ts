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
import { Server } from 'socket.io';
import { countConnectedClients, openPresence, recordCursor, type Presence } from './presence.ts';

export const app = express();
export const httpServer = createServer(app);
// TODO: a client whose network vanished (no goodbye) is only noticed through socket.io's pings,
// with the defaults after up to 45 s. It must be gone within config.pingIntervalMs + config.pingTimeoutMs.
export const io = new Server(httpServer);
countConnectedClients(io);

// TODO: an entry is added for every client that says hello, and none is ever removed.
// Each keeps that person's presence (and its 8 KB cursor trail) after they leave.
const presences = new Map<string, Presence>();

/** The presence of everyone connected now, in connection order. */
function whoIsHere(): Presence[] {
  const here: Presence[] = [];
  for (const socket of io.sockets.sockets.values()) {
    const presence = presences.get(socket.id);
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
    presences.set(socket.id, presence);
    if (typeof ack === 'function') ack({ colour: presence.colour });
  });

  socket.on('cursor', (position: unknown) => {
    const presence = presences.get(socket.id);
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
