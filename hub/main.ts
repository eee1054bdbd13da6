/**
 * `npm start`: build the course if dist/ is missing or stale, start the hub on 127.0.0.1:4321
 * (or LEAKLAB_PORT), print its URL, and on Ctrl-C, SIGTERM or a crash stop every lab it started.
 */
import path from 'node:path';
import { stopAllLabs } from '../kit/lab-process.ts';
import { startHub, type Hub } from './server.ts';
import { buildNeeded, buildSite } from './site-build.ts';

const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.LEAKLAB_PORT ?? 4321);
const host = process.env.LEAKLAB_HOST ?? '127.0.0.1';

let hub: Hub | undefined;
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  try {
    await Promise.race([hub?.close(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  } finally {
    stopAllLabs();
  }
  process.exit(code);
}

// `on`, not `once`: while our listener is registered the kit's orphan guard only kills the labs and
// leaves the exit to us, so we wait until every lab process is gone (and reaped) before exiting.
// A second Ctrl-C while closing stops waiting; the guard still kills the labs on exit.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.on(signal, () => {
    if (shuttingDown) process.exit(code);
    shuttingDown = true;
    void shutdown(code);
  });
}
process.on('uncaughtException', (error) => {
  console.error('The hub crashed:', error);
  stopAllLabs();
  process.exit(1);
});

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`LEAKLAB_PORT=${process.env.LEAKLAB_PORT} is not a port number.`);
  process.exit(2);
}

const stale = process.env.LEAKLAB_SKIP_BUILD ? undefined : buildNeeded(root);
if (stale) {
  console.log(`Building the course first: ${stale} (npx astro build)…`);
  try {
    await buildSite(root);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

try {
  hub = await startHub({ host, port });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      `Port ${port} on ${host} is already taken (another hub, or astro dev/preview?). ` +
        `Stop that program, or start the hub on another port: LEAKLAB_PORT=${port + 1} npm start`,
    );
    process.exit(1);
  }
  throw error;
}
console.log(`Leak Lab hub: ${hub.url}/  (the course and its labs; Ctrl-C stops the hub and every lab it started)`);
