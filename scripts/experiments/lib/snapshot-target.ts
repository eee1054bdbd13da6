/**
 * A small Express server to take snapshots of: it listens on 127.0.0.1 and a free port, prints
 * "listening <port>" on stdout, and answers GET / with "ok". The heapsnapshot-signal and
 * diagnostic-node-options experiments start it with diagnostic flags, signal it, and check that it
 * still answers afterwards. It holds a little state, as a real server would, so its snapshot is not
 * empty.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';

const sessions = new Map<number, { id: number; user: string }>();
for (let id = 0; id < 1_000; id++) sessions.set(id, { id, user: `user-${id}` });

const app = express();
app.get('/', (_req, res) => {
  res.send('ok');
});

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
