/**
 * What lab 07's page says about the shop, measured. First the checker's view: with the order
 * database and product cache set small (as the checker sets them), the post-GC heap kept per
 * request. Then the post-mortem run the page teaches: the shop started with a 64 MB heap cap and
 * --heapsnapshot-near-heap-limit=1 into an existing --diagnostic-dir, and the day of traffic from
 * traffic.ts (8 customers at a time) until it stops answering: how many requests and seconds it
 * took, when the near-limit snapshot appeared, how big it was, and how the process ended. That run
 * takes minutes (longer on the Node lines that raise the heap limit for the snapshot), so it runs
 * only with LEAKLAB_SLOW=1, as the project's other slow suites do.
 *
 *   node --import tsx scripts/experiments/lab-07-post-mortem.ts
 *   LEAKLAB_SLOW=1 node --import tsx scripts/experiments/lab-07-post-mortem.ts
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { visit, type Send } from '../../labs/07-post-mortem/traffic.ts';
import { report, toMiB } from './lib/harness.ts';
import { startLabServer } from './lib/lab-server.ts';
import { removeScratch, scratchDir } from './lib/output-dir.ts';

const LAB = '07-post-mortem';
const CUSTOMERS_AT_ONCE = 8;
/** The checker's settings: the order database and product cache are full before it measures. */
const CHECKER_ENV = { LEAKLAB_ORDERS_KEPT: '50', LEAKLAB_PRODUCT_CACHE_MAX: '50' };

function sender(url: string): Send {
  return async (method, path, body) => {
    const response = await fetch(new URL(path, url), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
    return { status: response.status, body: await response.text() };
  };
}

/** Drive visits, `CUSTOMERS_AT_ONCE` at a time, until `stop()` says so or a request fails. */
async function drive(url: string, stop: (requests: number) => boolean, onRequest: (requests: number) => void = () => {}): Promise<number> {
  const send = sender(url);
  let next = 0;
  let requests = 0;
  const customer = async () => {
    while (!stop(requests)) {
      const n = next++;
      await visit(send, n, `cart-${n}`, () => onRequest(++requests));
    }
  };
  await Promise.all(Array.from({ length: CUSTOMERS_AT_ONCE }, customer)).catch(() => undefined);
  return requests;
}

// 1. Bytes kept per request, post-GC, with the checker's settings.
const WARM_UP = 2_000;
const MEASURED = 6_000;
const shop = await startLabServer(LAB, 'lab', { env: CHECKER_ENV });
let keptPerRequest: number;
try {
  await drive(shop.url, (requests) => requests >= WARM_UP);
  const before = await shop.sample(true);
  await drive(shop.url, (requests) => requests >= MEASURED);
  const after = await shop.sample(true);
  keptPerRequest = Math.round((after.heapUsed - before.heapUsed) / MEASURED);
} finally {
  await shop.stop();
}

// 2. Until it dies, as the page's first step runs it.
async function untilItDies() {
  const dir = scratchDir('lab-07-post-mortem');
  try {
    const started = performance.now();
    const dying = await startLabServer(LAB, 'lab', { heapMb: 64, nodeFlags: ['--heapsnapshot-near-heap-limit=1', `--diagnostic-dir=${dir}`] });
    let snapshotAt: { requests: number; seconds: number } | null = null;
    const snapshotWritten = () => readdirSync(dir).some((name) => name.endsWith('.heapsnapshot'));
    const exited = new Promise<{ reason: string; signal: string | null }>((resolve) => dying.once('exit', (exit) => resolve({ reason: exit.reason, signal: exit.signal })));
    let ended = false;
    void exited.then(() => (ended = true));
    const requests = await drive(dying.url, () => ended, (count) => {
      if (snapshotAt === null && count % 100 === 0 && snapshotWritten()) snapshotAt = { requests: count, seconds: Math.round((performance.now() - started) / 1000) };
    });
    const exit = await exited;
    const snapshots = readdirSync(dir).filter((name) => name.endsWith('.heapsnapshot'));
    // Where Node keeps its limit, the shop dies within moments of the snapshot, before the next
    // hundred answers come back for the check above to see the file: it was written by the end.
    if (snapshotAt === null && snapshots.length > 0) snapshotAt = { requests, seconds: Math.round((performance.now() - started) / 1000) };
    return {
      requests,
      seconds: Math.round((performance.now() - started) / 1000),
      exit,
      snapshots: snapshots.length,
      snapshotMiB: snapshots[0] ? toMiB(statSync(join(dir, snapshots[0])).size) : null,
      snapshotAt,
    };
  } finally {
    removeScratch(dir);
  }
}

const slow = process.env.LEAKLAB_SLOW === '1';
const died = slow ? await untilItDies() : null;
report(
  { keptPerRequest, untilItDies: died, untilItDiesSkipped: slow ? null : 'set LEAKLAB_SLOW=1 to run the shop until it dies (minutes)' },
  `${keptPerRequest} B kept per request` +
    (died ? `; died after ${died.requests} requests in ${died.seconds} s (${died.exit.reason}), snapshot ${died.snapshotMiB} MiB at ${JSON.stringify(died.snapshotAt)}` : ''),
);
