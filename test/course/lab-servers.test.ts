/**
 * The lab contract, in process and in a second: each lab and its reference fix export what a test
 * mounts (`app`, and `io`/`httpServer` for socket.io) without listening on import, serve their
 * routes, and the exact resource each lab is about (a bus listener, an interval) is kept by the
 * lab and released by the fix. The self-check proves the same with memory under load; this is the
 * fast, exact version a contributor runs while editing a lab.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Server as SocketServer } from 'socket.io';
import { readGauges } from '../../kit/lab-api.ts';
import { openSocketClient, openSseClient } from '../../kit/load/index.ts';
import { loadCourse, type LabInfo } from '../../kit/manifest.ts';

// Intervals started by lab code keep this test process alive if the lab leaks them (lab 04 does,
// on purpose). Record every interval so the suite can measure how many are live and stop them all
// at the end. Installed before any lab module is imported.
const liveIntervals = new Set<NodeJS.Timeout>();
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;
globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
  const handle = realSetInterval(...args);
  liveIntervals.add(handle);
  return handle;
}) as typeof setInterval;
globalThis.clearInterval = ((handle?: NodeJS.Timeout | string | number) => {
  if (handle !== undefined && typeof handle === 'object') liveIntervals.delete(handle);
  realClearInterval(handle);
}) as typeof clearInterval;

const course = loadCourse();
const lab = (number: string): LabInfo => course.labs.find((info) => info.number === number)!;

interface LabModule {
  app: http.RequestListener;
  httpServer?: http.Server;
  io?: SocketServer;
}

const variants = (info: LabInfo) =>
  [
    ['lab', info.shippedFile],
    ['solution', info.solutionFile],
  ] as const;

const listeningServers = (): number => process.getActiveResourcesInfo().filter((type) => type === 'TCPServerWrap').length;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Mount an app (or a module's own http server) on a free loopback port; returns its URL and a closer. */
async function mount(module: LabModule): Promise<{ url: string; close(): Promise<void> }> {
  const server = module.httpServer ?? http.createServer(module.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      if (module.io) {
        // io.close() disconnects every client and closes the http server it is attached to.
        await new Promise<void>((resolve) => module.io!.close(() => resolve()));
        return;
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

after(() => {
  for (const handle of liveIntervals) realClearInterval(handle);
  liveIntervals.clear();
});

describe('importing a lab server', () => {
  test('exports its app and does not listen: only running the file does', async () => {
    for (const info of course.labs) {
      for (const [kind, file] of variants(info)) {
        const module = (await import(file)) as LabModule;
        assert.equal(typeof module.app, 'function', `${info.id} ${kind} exports app`);
        if (info.operation === 'socket.io connection') {
          assert.ok(module.io && module.httpServer, `${info.id} ${kind} exports io and httpServer`);
        }
      }
    }
    assert.equal(listeningServers(), 0, 'a lab listened on import');
  });
});

describe('lab 01: the cache', () => {
  for (const [kind, file] of variants(lab('01'))) {
    test(`${kind}: a repeated id is answered from the cache with the same record`, async () => {
      const server = await mount((await import(file)) as LabModule);
      try {
        const id = `contract-${kind}`;
        const calls = () => readGauges().dbCalls!;
        const before = calls();
        const first = await fetch(`${server.url}/user/${id}`);
        const second = await fetch(`${server.url}/user/${id}`);
        assert.equal(first.status, 200);
        assert.match(first.headers.get('content-type') ?? '', /^application\/json/);
        const [a, b] = [await first.text(), await second.text()];
        assert.equal(a, b, 'cached and uncached answers differ');
        assert.equal((JSON.parse(a) as { id: string }).id, id);
        assert.ok(a.length > 800 && a.length < 1400, `a record is about 1 KB, got ${a.length} bytes`);
        assert.equal(calls() - before, 1, 'the database was called more than once for one id');
      } finally {
        await server.close();
      }
    });
  }
});

describe('lab 02: the bus listener', () => {
  for (const [kind, file] of variants(lab('02'))) {
    const keeps = kind === 'lab';
    test(`${kind}: a closed stream ${keeps ? 'leaves its listener on the bus' : 'takes its listener off the bus'}`, async () => {
      const { bus } = (await import(file.replace(/server\.ts$/, 'bus.ts'))) as typeof import('../../labs/02-sse-listener/bus.ts');
      const server = await mount((await import(file)) as LabModule);
      try {
        const before = bus.listenerCount('update');
        const client = await openSseClient(server.url);
        assert.equal(bus.listenerCount('update'), before + 1, 'an open stream subscribes once');
        const published = await fetch(`${server.url}/publish`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ order: 'A-1001', status: 'shipped' }),
        });
        assert.equal(published.status, 202);
        assert.ok(((await published.json()) as { delivered: number }).delivered >= 1);
        assert.ok(await client.waitForEvents(1, 2000), 'the open stream received the update');
        assert.equal(client.events[0], '{"order":"A-1001","status":"shipped"}');
        client.close();
        await wait(50);
        assert.equal(bus.listenerCount('update'), keeps ? before + 1 : before);
      } finally {
        await server.close();
      }
    });
  }

  test('POST /publish refuses a body that is not a JSON object', async () => {
    const server = await mount((await import(lab('02').shippedFile)) as LabModule);
    try {
      const answer = await fetch(`${server.url}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' });
      assert.equal(answer.status, 400);
    } finally {
      await server.close();
    }
  });
});

describe('lab 03: the price tables', () => {
  let catalog: typeof import('../../labs/03-closure-capture/catalog.ts');
  before(async () => {
    catalog = await import('../../labs/03-closure-capture/catalog.ts');
  });

  for (const [kind, file] of variants(lab('03'))) {
    test(`${kind}: a refresh swaps in the next table and counts what changed`, async () => {
      const server = await mount((await import(file)) as LabModule);
      try {
        const refresh = (await (await fetch(`${server.url}/prices/refresh`, { method: 'POST' })).json()) as { version: number; changed: number };
        assert.equal(refresh.version, 2);
        let expected = 0;
        for (let i = 0; i < catalog.SKU_COUNT; i++) if (catalog.priceAt(2, i) !== catalog.priceAt(1, i)) expected += 1;
        assert.equal(refresh.changed, expected);
        assert.ok(expected > 20 && expected < 80, `about one product in ten changes per version, got ${expected}`);
        assert.deepEqual(await (await fetch(`${server.url}/prices`)).json(), { version: 2, skus: catalog.SKU_COUNT });
        const sku = catalog.skuAt(8);
        assert.deepEqual(await (await fetch(`${server.url}/prices/${sku}`)).json(), { sku, price: catalog.priceAt(2, 8), version: 2 });
        assert.equal((await fetch(`${server.url}/prices/NOPE-1`)).status, 404);
      } finally {
        await server.close();
      }
    });
  }
});

describe('lab 04: the interval', () => {
  for (const [kind, file] of variants(lab('04'))) {
    const keeps = kind === 'lab';
    test(`${kind}: a dashboard gets ticks, and after it leaves its interval ${keeps ? 'keeps running' : 'is cleared'}`, async () => {
      const module = (await import(file)) as LabModule;
      const server = await mount(module);
      try {
        const before = liveIntervals.size;
        const client = await openSocketClient(server.url, 'tick');
        await wait(350);
        assert.equal(liveIntervals.size, before + 1, 'one interval per connected dashboard');
        assert.ok(client.payloads.length >= 2, `ticks arrive every 100 ms, got ${client.payloads.length} in 350 ms`);
        const tick = client.payloads[0] as { seq: number; value: number; average: number };
        assert.equal(tick.seq, 1);
        assert.equal(typeof tick.value, 'number');
        const health = (await (await fetch(`${server.url}/health`)).json()) as { status: string; connectedClients: number };
        assert.deepEqual(health, { status: 'ok', connectedClients: 1 });
        client.close();
        await wait(100);
        assert.equal(liveIntervals.size, keeps ? before + 1 : before);
        assert.equal(module.io!.engine.clientsCount, 0, 'the dashboard is gone from the server');
      } finally {
        await server.close();
      }
    });
  }
});
