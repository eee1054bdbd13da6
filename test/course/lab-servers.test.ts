/**
 * The lab contract, in process and in seconds: each lab and its reference fix export what a test
 * mounts (`app`, and `io`/`httpServer` for socket.io) without listening on import, serve their
 * routes, and the exact resource each lab is about (a cache entry, a bus listener, an interval, an
 * upload's bytes, a presence, a payment listener) is kept by the lab and released by the fix. The
 * self-check proves the same with memory under load; this is the fast, exact version a contributor
 * runs while editing a lab. Every lab in the course has its contract here (a test says so).
 *
 * Nothing here waits a fixed time: each step waits for the event it is about (the server saw the
 * connection close, a socket disconnected, a tick arrived), with the runner's timeout as a safety net.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { after, describe, test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Server as SocketServer, Socket as ServerSocket } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { readGauges } from '../../kit/lab-api.ts';
import { openSocketClient, openSseClient, type SocketClient } from '../../kit/load/index.ts';
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

// A forced GC in this process, for the labs whose resource is only released to the collector (an
// upload's bytes, a presence in a WeakMap): the same flag the checker gives a lab process, set now.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Full collections with a turn between them, so weak callbacks and finalizers run as in the probe. */
async function collectGarbage(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await nextTurn();
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The runner's timeout for every test here: a safety net against a hang, never a measure. */
const SAFETY_NET = { timeout: 60_000 };
/** What the load clients may take to connect here: generous, it is a safety net too. */
const CONNECT_MS = 30_000;

const course = loadCourse();

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

interface Mounted {
  url: string;
  /** Resolves once every connection the server has now is closed on its side, and the handlers of that close have run. */
  connectionsClosed(): Promise<void>;
  close(): Promise<void>;
}

/** Mount an app (or a module's own http server) on a free loopback port. */
async function mount(module: LabModule): Promise<Mounted> {
  const server = module.httpServer ?? http.createServer(module.app);
  const open = new Set<NetSocket>();
  const onConnection = (socket: NetSocket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  server.on('connection', onConnection);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connectionsClosed: async () => {
      await Promise.all([...open].map((socket) => (socket.closed ? undefined : once(socket, 'close'))));
      // The server's own 'close' handlers (a response's, a request's) may run on the next tick.
      await nextTurn();
    },
    close: async () => {
      server.off('connection', onConnection);
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

/** Send one request on a connection of its own (closed after the answer): the server sees the end of it. */
function request(url: string, options: { method?: string; headers?: Record<string, string | number>; body?: Buffer | string } = {}): Promise<{ status: number; contentType: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** Resolves with the reason once the next socket.io client that connects to `io` has disconnected, as the server sees it. */
function nextDisconnect(io: SocketServer): Promise<string> {
  return new Promise((resolve) => {
    io.once('connection', (socket: ServerSocket) => socket.once('disconnect', (reason) => resolve(reason)));
  });
}

/** Resolves once the next engine.io connection to `io` has closed: the transport is gone and the server no longer counts the client. */
function nextConnectionClosed(io: SocketServer): Promise<void> {
  return new Promise((resolve) => {
    io.engine.once('connection', (connection: { once(event: 'close', listener: () => void): void }) => connection.once('close', () => resolve()));
  });
}

/** Resolves once `client` has received `n` of its events. */
function payloadsReceived(client: SocketClient, event: string, n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (client.payloads.length < n) return;
      client.socket.off(event, check);
      resolve();
    };
    // Registered after the client's own recorder, so the payload is counted when this runs.
    client.socket.on(event, check);
    check();
  });
}

describe('the contracts', () => {
  test('every lab in the course has its contract in this file', () => {
    assert.deepEqual(
      course.labs.map((info) => info.number).filter((number) => !(number in CONTRACTS)),
      [],
      'a lab without a contract here: add one to CONTRACTS',
    );
  });

  test('importing a lab server exports its app and does not listen: only running the file does', async () => {
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

/** Each lab's contract, by lab number: the tests of its server and its reference fix. */
const CONTRACTS: Record<string, (info: LabInfo) => void> = {
  '01': (info) => {
    for (const [kind, file] of variants(info)) {
      test(`${kind}: a repeated id is answered from the cache with the same record`, SAFETY_NET, async () => {
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
  },

  '02': (info) => {
    for (const [kind, file] of variants(info)) {
      const keeps = kind === 'lab';
      test(`${kind}: a closed stream ${keeps ? 'leaves its listener on the bus' : 'takes its listener off the bus'}`, SAFETY_NET, async () => {
        const { bus } = (await import(file.replace(/server\.ts$/, 'bus.ts'))) as typeof import('../../labs/02-sse-listener/bus.ts');
        const server = await mount((await import(file)) as LabModule);
        try {
          const before = bus.listenerCount('update');
          const client = await openSseClient(server.url, '/events', CONNECT_MS);
          assert.equal(bus.listenerCount('update'), before + 1, 'an open stream subscribes once');
          const published = await fetch(`${server.url}/publish`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ order: 'A-1001', status: 'shipped' }),
          });
          assert.equal(published.status, 202);
          assert.ok(((await published.json()) as { delivered: number }).delivered >= 1);
          assert.ok(await client.waitForEvents(1, CONNECT_MS), 'the open stream received the update');
          assert.equal(client.events[0], '{"order":"A-1001","status":"shipped"}');
          client.close();
          await server.connectionsClosed();
          assert.equal(bus.listenerCount('update'), keeps ? before + 1 : before);
        } finally {
          await server.close();
        }
      });
    }

    test('POST /publish refuses a body that is not a JSON object', SAFETY_NET, async () => {
      const server = await mount((await import(info.shippedFile)) as LabModule);
      try {
        const answer = await fetch(`${server.url}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' });
        assert.equal(answer.status, 400);
      } finally {
        await server.close();
      }
    });
  },

  '03': (info) => {
    for (const [kind, file] of variants(info)) {
      test(`${kind}: a refresh swaps in the next table and counts what changed`, SAFETY_NET, async () => {
        const catalog = await import('../../labs/03-closure-capture/catalog.ts');
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
  },

  '04': (info) => {
    for (const [kind, file] of variants(info)) {
      const keeps = kind === 'lab';
      test(`${kind}: a dashboard gets ticks, and after it leaves its interval ${keeps ? 'keeps running' : 'is cleared'}`, SAFETY_NET, async () => {
        const module = (await import(file)) as LabModule;
        const server = await mount(module);
        try {
          const before = liveIntervals.size;
          const disconnected = nextDisconnect(module.io!);
          const connectionClosed = nextConnectionClosed(module.io!);
          const client = await openSocketClient(server.url, 'tick', CONNECT_MS);
          await payloadsReceived(client, 'tick', 2);
          assert.equal(liveIntervals.size, before + 1, 'one interval per connected dashboard');
          const [first, second] = client.payloads as Array<{ seq: number; value: number; average: number }>;
          assert.deepEqual([first!.seq, second!.seq], [1, 2], 'ticks are numbered from 1, in order');
          assert.equal(typeof first!.value, 'number');
          const health = (await (await fetch(`${server.url}/health`)).json()) as { status: string; connectedClients: number };
          assert.deepEqual(health, { status: 'ok', connectedClients: 1 });
          client.close();
          await Promise.all([disconnected, connectionClosed]);
          await nextTurn();
          assert.equal(liveIntervals.size, keeps ? before + 1 : before);
          assert.equal(module.io!.engine.clientsCount, 0, 'the dashboard is gone from the server');
        } finally {
          await server.close();
        }
      });
    }
  },

  '05': (info) => {
    for (const [kind, file] of variants(info)) {
      const keeps = kind === 'lab';
      test(`${kind}: an upload comes back as its thumbnail, and afterwards its bytes are ${keeps ? 'still held' : 'let go'}`, SAFETY_NET, async () => {
        const thumbnails = (await import(file.replace(/server\.ts$/, 'thumbnails.ts'))) as typeof import('../../labs/05-outside-the-heap/thumbnails.ts');
        const server = await mount((await import(file)) as LabModule);
        try {
          await collectGarbage();
          const before = readGauges().uploadBodiesHeld!;
          const image = thumbnails.gradientPgm(256, 192, kind === 'lab' ? 1 : 2);
          const id = `contract-${kind}`;
          const answer = await request(`${server.url}/uploads/${id}`, { method: 'PUT', headers: { 'content-type': 'image/x-portable-graymap' }, body: image });
          assert.equal(answer.status, 200);
          assert.equal(answer.contentType, 'image/x-portable-graymap');
          assert.ok(answer.body.equals(thumbnails.encodePgm(thumbnails.shrink(thumbnails.decodePgm(image)))), 'the answer is the exact thumbnail');
          await server.connectionsClosed();
          const progress = await request(`${server.url}/uploads/${id}`);
          assert.equal(progress.status, keeps ? 200 : 404, keeps ? 'the lab still reports a finished upload in progress' : 'a finished upload is no longer in progress');
          await server.connectionsClosed();
          await collectGarbage();
          assert.equal(readGauges().uploadBodiesHeld! - before, keeps ? 1 : 0, 'upload bodies alive after a forced GC');
        } finally {
          await server.close();
        }
      });
    }

    test('a body that is not an image is refused with 422, one announced too big with 413', SAFETY_NET, async () => {
      const { MAX_UPLOAD_BYTES } = await import('../../labs/05-outside-the-heap/thumbnails.ts');
      const server = await mount((await import(info.shippedFile)) as LabModule);
      try {
        const notAnImage = Buffer.alloc(4096, 1);
        notAnImage.write('GIF89a', 0, 'latin1');
        assert.equal((await request(`${server.url}/uploads/gif`, { method: 'PUT', body: notAnImage })).status, 422);
        // Announced, not sent: the service must refuse it from the header alone.
        const tooBig = await request(`${server.url}/uploads/big`, { method: 'PUT', headers: { 'content-length': MAX_UPLOAD_BYTES + 1 }, body: Buffer.alloc(64) });
        assert.equal(tooBig.status, 413);
      } finally {
        await server.close();
      }
    });
  },

  '06': (info) => {
    /** Connect a client and say hello as `name`; resolves with it and the colour the server gave. */
    async function join(url: string, name: string): Promise<{ socket: ClientSocket; colour: string }> {
      const socket = connectClient(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: CONNECT_MS });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const { colour } = (await socket.emitWithAck('hello', name)) as { colour: string };
      return { socket, colour };
    }
    const present = async (url: string) => ((await (await fetch(`${url}/presence`)).json()) as { online: Array<{ name: string }> }).online.map((person) => person.name);

    for (const [kind, file] of variants(info)) {
      const keeps = kind === 'lab';
      test(`${kind}: people are listed while connected, see each other's cursors, and when they leave their presence is ${keeps ? 'kept' : 'let go'}`, SAFETY_NET, async () => {
        const module = (await import(file)) as LabModule;
        const server = await mount(module);
        const clients: ClientSocket[] = [];
        try {
          await collectGarbage();
          const before = readGauges().presencesAlive!;
          const ada = await join(server.url, `ada-${kind}`);
          clients.push(ada.socket);
          const leaving = nextDisconnect(module.io!);
          const bob = await join(server.url, `bob-${kind}`);
          clients.push(bob.socket);
          assert.match(ada.colour, /^#[0-9a-f]{6}$/);
          assert.deepEqual(await present(server.url), [`ada-${kind}`, `bob-${kind}`]);

          const received = new Promise((resolve) => ada.socket.once('cursor', resolve));
          bob.socket.emit('cursor', { x: 0.25, y: 0.75 });
          const move = await received;
          assert.deepEqual(move, { name: `bob-${kind}`, colour: bob.colour, x: 0.25, y: 0.75 });

          bob.socket.close();
          assert.equal(await leaving, 'client namespace disconnect');
          assert.deepEqual(await present(server.url), [`ada-${kind}`], 'who left is not listed');
          await collectGarbage();
          // Ada is still here in both; Bob's presence (and its 8 KiB trail) outlives him only in the lab.
          assert.equal(readGauges().presencesAlive! - before, keeps ? 2 : 1, 'presences alive after a forced GC');
        } finally {
          for (const socket of clients) socket.close();
          await server.close();
        }
      });
    }

    test("solution: socket.io's heartbeat is the configured pingInterval + pingTimeout, so a vanished client goes in seconds; the lab keeps socket.io's 25 s + 20 s", async () => {
      const { config } = await import('../../labs/06-socket-state/config.ts');
      const heartbeatOf = (module: LabModule) => {
        const options = module.io!.engine.opts as { pingInterval: number; pingTimeout: number };
        return options.pingInterval + options.pingTimeout;
      };
      assert.equal(heartbeatOf((await import(info.solutionFile)) as LabModule), config.pingIntervalMs + config.pingTimeoutMs);
      assert.equal(heartbeatOf((await import(info.shippedFile)) as LabModule), 25_000 + 20_000);
    });
  },

  '07': (info) => {
    for (const [kind, file] of variants(info)) {
      const keeps = kind === 'lab';
      test(`${kind}: a checkout is paid by its own webhook; an order nobody pays ${keeps ? 'leaves a listener on the bus' : 'leaves nothing on the bus'}`, SAFETY_NET, async () => {
        const { bus } = (await import(file.replace(/server\.ts$/, 'bus.ts'))) as typeof import('../../labs/07-post-mortem/bus.ts');
        const catalog = await import('../../labs/07-post-mortem/catalog.ts');
        const server = await mount((await import(file)) as LabModule);
        const post = async (path: string, body: unknown) => {
          const answer = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
          return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
        };
        const checkout = async (cart: string) => {
          assert.equal((await post(`/carts/${cart}/items`, { productId: catalog.productIdAt(1), quantity: 2 })).status, 201);
          const order = await post(`/carts/${cart}/checkout`, {});
          assert.equal(order.status, 201);
          return order.body as { id: string; status: string; total: number };
        };
        try {
          const product = await (await fetch(`${server.url}/products/${catalog.productIdAt(1)}`)).json();
          assert.deepEqual(product, catalog.productRecord(catalog.productIdAt(1)));
          assert.equal((await fetch(`${server.url}/products/p999`)).status, 404);

          const before = bus.listenerCount('payment');
          const paid = await checkout(`paid-${kind}`);
          assert.equal(paid.status, 'awaiting payment');
          assert.equal(paid.total, 2 * catalog.productRecord(catalog.productIdAt(1))!.price);
          const unpaid = await checkout(`unpaid-${kind}`);
          assert.equal((await post(`/carts/unpaid-${kind}/checkout`, {})).status, 409, 'a cart is gone once checked out');

          assert.equal((await post('/webhooks/payments', { orderId: paid.id, status: 'paid' })).status, 200);
          const orderOf = async (id: string) => (await (await fetch(`${server.url}/orders/${id}`)).json()) as { status: string };
          assert.equal((await orderOf(paid.id)).status, 'paid');
          assert.equal((await orderOf(unpaid.id)).status, 'awaiting payment', 'another order\'s webhook paid this one');
          assert.equal((await post('/webhooks/payments', { orderId: 'o-no-such-order', status: 'paid' })).status, 404);
          // The paid order's wait is over in both; the unpaid one's listener stays forever in the lab.
          assert.equal(bus.listenerCount('payment') - before, keeps ? 1 : 0, "'payment' listeners left on the bus");
        } finally {
          await server.close();
        }
      });
    }
  },
};

for (const info of course.labs) {
  const contract = CONTRACTS[info.number];
  if (contract) describe(`lab ${info.number}: ${info.title}`, () => contract(info));
}

after(() => {
  for (const handle of liveIntervals) realClearInterval(handle);
  liveIntervals.clear();
});
