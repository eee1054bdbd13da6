/**
 * Profile service: GET /user/:id answers a user record. Each database round trip costs a couple of
 * milliseconds, so the service keeps records it has already fetched in memory.
 *
 * Lab 01: memory grows with every new user id requested, and never comes back.
 */
import { realpathSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { getUser, type User } from './db.ts';

// TODO: this cache only ever grows: every id ever requested stays here for the life of the process.
// Bound it (how many records? for how long?) using the limits in config.ts.
const cache: Record<string, User> = Object.create(null); // no prototype, so an id like "constructor" is just a key

export const app = express();

app.get('/user/:id', async (req, res) => {
  const { id } = req.params;
  let user = cache[id];
  if (user === undefined) {
    user = await getUser(id);
    cache[id] = user;
  }
  res.json(user);
});

// Listen only when this file is the program being run, so a test can import `app` on its own.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === import.meta.filename) {
  const host = process.env.HOST ?? '127.0.0.1';
  const server = app.listen(Number(process.env.PORT ?? 3000), host, () => {
    const { port } = server.address() as AddressInfo;
    console.log(`Lab 01 · Unbounded cache listening on http://${host}:${port}`);
  });
}
