/**
 * Live telemetry dashboard: browsers connect with socket.io and receive a 'tick' with the newest
 * sensor reading every `config.tickMs` milliseconds. GET /health says whether the service is up.
 *
 * Lab 04: memory (most of it outside the JS heap) grows with every dashboard that ever connected.
 */
import { realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Server } from 'socket.io';
import { config } from './config.ts';
import { countConnectedClients, nextTick, openSession } from './telemetry.ts';

export const app = express();
export const httpServer = createServer(app);
export const io = new Server(httpServer);
countConnectedClients(io);

app.get('/health', (_req, res) => {
  res.json({ status: 'ok', connectedClients: io.engine.clientsCount });
});

io.on('connection', (socket) => {
  const session = openSession(socket.id);
  // TODO: this interval keeps running after the dashboard disconnects, and its callback holds the
  // session (and its 10 KB of readings) and the socket. Stop it when the client goes away.
  setInterval(() => {
    socket.emit('tick', nextTick(session));
  }, config.tickMs);
});

// Listen only when this file is the program being run, so a test can import `app` and `io` on their own.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === import.meta.filename) {
  const host = process.env.HOST ?? '127.0.0.1';
  httpServer.listen(Number(process.env.PORT ?? 3000), host, () => {
    const { port } = httpServer.address() as AddressInfo;
    console.log(`Lab 04 · Uncleared interval listening on http://${host}:${port}`);
  });
}
