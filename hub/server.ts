/**
 * The hub: one local server that serves the built course (dist/) and runs the labs from the
 * browser. HTTP serves pages, lab metadata, snapshot downloads and source views; everything that
 * acts (start, stop, load, force GC, check, snapshots) goes over socket.io to the lab's workbench
 * (workbench.ts), and what happens comes back the same way, to one room per lab. This file only
 * wires requests to workbenches: it checks who asks (origin.ts) and what they ask (requests.ts).
 *
 * Safety: binds 127.0.0.1 by default; HTTP API and socket.io refuse other origins and foreign Host
 * headers; the browser names labs only by manifest id and snapshots only by generated name;
 * a client that stops reading is cut off (backpressure.ts); every lab process is stopped by close(),
 * and the kit's orphan guard kills them if the hub dies.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Server as SocketServer, type Socket } from 'socket.io';
import { cutOff, fallenBehind } from './backpressure.ts';
import { hubOutputDir, lastCheckOf, loadHubCourse, shownHints } from './kit-bridge.ts';
import { originPolicy, refusal } from './origin.ts';
import { LOAD_SIZES, type ClientEvents, type HubInfo, type LabProgress, type ReplyOf, type ServerEvents } from './protocol.ts';
import { RequestError, countOf, labOf, roleOf, variantOf } from './requests.ts';
import { SnapshotStore } from './snapshot-store.ts';
import { sourcePage } from './source-page.ts';
import { LabWorkbench } from './workbench.ts';

export interface HubOptions {
  /** Interface to bind (default 127.0.0.1: the hub starts processes, it must not face a network). */
  host?: string;
  /** Port (default 4321; 0 picks a free one). */
  port?: number;
  /** Project root (default: the folder above hub/). */
  root?: string;
  /** Milliseconds between live samples of a running lab (default 400). */
  sampleEveryMs?: number;
  /** Heap cap of lab processes in MB (default: the kit's). */
  labHeapMb?: number;
}

export interface Hub {
  url: string;
  /** Pages connected now (the no-leak test watches a stuck client being cut off). */
  connections(): number;
  /** Stop every lab and check, close every socket, stop listening. */
  close(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '..');

/** Largest message a page may send: every request is a few fields. */
const MAX_REQUEST_BYTES = 16 * 1024;
/** Requests of one page still being answered; past this, more are refused at once (a page sends one per click). */
const MAX_PENDING_PER_PAGE = 64;

type HubSocket = Socket<ClientEvents, ServerEvents>;

const MALFORMED = 'Bad request: the address is malformed.';

export async function startHub(options: HubOptions = {}): Promise<Hub> {
  const host = options.host ?? '127.0.0.1';
  const root = options.root ?? ROOT;
  const distDir = path.join(root, 'dist');
  const labs = await loadHubCourse(root);
  const labIds = labs.map((lab) => lab.id);
  // Snapshots go to output/snapshots (LEAKLAB_OUTPUT moves output/: tests use a temporary folder).
  const store = new SnapshotStore(path.join(hubOutputDir(root), 'snapshots'));

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const io = new SocketServer<ClientEvents, ServerEvents>(httpServer, {
    // WebSocket only: a browser always sends Origin on a WebSocket handshake, so the check below is
    // never skipped (same-origin XHR polling may omit it).
    transports: ['websocket'],
    serveClient: false,
    maxHttpBufferSize: MAX_REQUEST_BYTES,
    allowRequest: (req: IncomingMessage, callback) => {
      const why = refusal(policy, { host: req.headers.host, origin: req.headers.origin }, { requireOrigin: true });
      callback(why ?? null, why === undefined);
    },
  });
  let policy = originPolicy(host, options.port ?? 4321); // replaced once the real port is known

  // ------------------------------------------------------------------------------------------
  // One workbench per lab of the manifest; events go to the lab's room.
  const workbenches = new Map<string, LabWorkbench>();
  const inUse = () => new Set([...workbenches.values()].flatMap((w) => w.snapshotsInUse()));
  for (const lab of labs) {
    workbenches.set(
      lab.id,
      new LabWorkbench({
        lab,
        root,
        store,
        inUse,
        emit: (event, ...args) => io.to(`lab:${lab.id}`).emit(event, ...args),
        ...(options.sampleEveryMs ? { sampleEveryMs: options.sampleEveryMs } : {}),
        ...(options.labHeapMb ? { labHeapMb: options.labHeapMb } : {}),
      }),
    );
  }
  const benchOf = (payload: unknown) => workbenches.get(labOf(payload, labIds))!;

  // ------------------------------------------------------------------------------------------
  // socket.io: each event checks its payload and calls the lab's workbench; the answer goes back
  // through the acknowledgement.
  const actions: { [E in keyof ClientEvents]: (payload: unknown, socket: HubSocket) => Promise<ReplyOf<E>> } = {
    'lab:join': async (payload, socket) => {
      const bench = benchOf(payload);
      await socket.join(`lab:${bench.lab.id}`);
      return { state: await bench.state() };
    },
    'lab:snapshots': async (payload) => ({ snapshots: await benchOf(payload).snapshots() }),
    'lab:start': async (payload) => ({ state: await benchOf(payload).start(variantOf(payload)) }),
    'lab:stop': async (payload) => ({ state: await benchOf(payload).stop(variantOf(payload)) }),
    'lab:compare': async (payload) => ({ states: await benchOf(payload).compare() }),
    'lab:gc': async (payload) => ({ forced: await benchOf(payload).gc() }),
    'lab:load': async (payload) => benchOf(payload).load(countOf(payload)),
    'lab:run-to-crash': async (payload) => benchOf(payload).runToCrash(),
    'lab:check': async (payload) => ({ verdict: await benchOf(payload).check(variantOf(payload)) }),
    'lab:snapshot': async (payload) => benchOf(payload).snapshot(variantOf(payload), roleOf(payload)),
    'lab:compare-near-limit': async (payload) => ({ analysis: await benchOf(payload).compareNearLimit(variantOf(payload)) }),
    'lab:restart': async (payload) => ({ state: await benchOf(payload).restart(variantOf(payload)) }),
    'lab:hint': async (payload) => benchOf(payload).hint(),
    'lab:reset': async (payload) => ({ reset: benchOf(payload).reset() }),
  };

  io.on('connection', (socket) => {
    let pending = 0;
    for (const event of Object.keys(actions) as (keyof ClientEvents)[]) {
      const handle = actions[event] as (payload: unknown, socket: HubSocket) => Promise<object>;
      // Registered untyped: the payload is whatever the client sent, checked by the handler.
      (socket as unknown as { on(event: string, listener: (payload: unknown, ack: unknown) => void): void }).on(event, (payload, ack) => {
        // A client that does not read its answers gets no more of them.
        if (fallenBehind(socket)) return cutOff(socket);
        const reply = typeof ack === 'function' ? (ack as (answer: object) => void) : () => undefined;
        if (pending >= MAX_PENDING_PER_PAGE) return reply({ ok: false, error: 'too many requests at once from this page: wait for the answers' });
        pending++;
        handle(payload, socket)
          .then(
            (answer) => reply({ ok: true, ...answer }),
            (error: Error) => reply({ ok: false, error: error instanceof RequestError ? error.message : error.message || String(error) }),
          )
          .finally(() => pending--);
      });
    }
  });
  // Live samples go to every page in a room whether it reads them or not: sweep for the stuck ones.
  const sweep = setInterval(() => {
    for (const socket of io.sockets.sockets.values()) if (fallenBehind(socket)) cutOff(socket);
  }, 1000);
  sweep.unref();

  // ------------------------------------------------------------------------------------------
  // HTTP: malformed addresses first, then the API (origin-checked), then the built course.
  app.use((req: Request, res: Response, next: NextFunction) => {
    try {
      decodeURIComponent(req.path);
    } catch {
      res.status(400).type('text').send(MALFORMED);
      return;
    }
    next();
  });
  const api = express.Router();
  api.use((req: Request, res: Response, next: NextFunction) => {
    const why = refusal(policy, { host: req.headers.host, origin: req.headers.origin }, { requireOrigin: false });
    if (why || req.headers['sec-fetch-site'] === 'cross-site') {
      res.status(403).json({ error: `refused: ${why ?? 'cross-site request'}` });
      return;
    }
    next();
  });
  api.get('/hub', (_req, res) => {
    const info: HubInfo = {
      hub: 'leaklab',
      loadSizes: [...LOAD_SIZES],
      labs: labs.map((lab) => ({
        id: lab.id,
        number: lab.number,
        title: lab.title,
        operation: lab.operation,
        labPage: lab.labPage,
        ...(lab.crashRun ? { crashRun: lab.crashRun } : {}),
      })),
    };
    res.json(info);
  });
  // Where the learner stands in every lab: the same progress store as `leaklab list`.
  api.get('/progress', (_req, res) => {
    const progress: LabProgress[] = labs.map((lab) => ({
      id: lab.id,
      number: lab.number,
      title: lab.title,
      labPage: lab.labPage,
      file: path.relative(root, lab.serverFile).split(path.sep).join('/'),
      lastCheck: lastCheckOf(lab) ?? null,
      hintsShown: shownHints(lab).length,
      hints: lab.hints.length,
    }));
    res.json(progress);
  });
  api.get('/snapshots/:name', async (req, res) => {
    const file = await store.resolve(req.params.name);
    if (!file) {
      res.status(404).json({ error: 'no such snapshot (only the newest few are kept)' });
      return;
    }
    res.download(file, req.params.name);
  });
  // The analysed server's source with numbered lines, so a retainer path can link to `#L<line>`.
  api.get('/source/:lab/:variant', async (req, res) => {
    const lab = labs.find((l) => l.id === req.params.lab);
    const variant = req.params.variant;
    if (!lab || (variant !== 'learner' && variant !== 'solution')) {
      res.status(404).json({ error: 'unknown lab or variant' });
      return;
    }
    const file = variant === 'learner' ? lab.serverFile : lab.solutionFile;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      res.status(404).json({ error: `${path.relative(root, file)} does not exist` });
      return;
    }
    res.type('html').send(sourcePage(path.relative(root, file), text));
  });
  api.use((_req, res) => {
    res.status(404).json({ error: 'no such API route' });
  });
  app.use('/api', api);

  if (existsSync(distDir)) {
    app.use(express.static(distDir, { index: 'index.html', extensions: ['html'] }));
    app.use((_req, res) => {
      const notFound = path.join(distDir, '404.html');
      if (existsSync(notFound)) res.status(404).sendFile(notFound);
      else res.status(404).type('text').send('Not found');
    });
  } else {
    app.use((_req, res) => {
      res.status(503).type('text').send('The course is not built yet: run `npm start` (it builds the site first) or `npx astro build`.');
    });
  }
  // Errors (a malformed %-escape in a path, a file that vanished mid-send): a plain line, never a
  // stack trace or a path on this machine.
  app.use((error: Error & { status?: number; statusCode?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = error.status ?? error.statusCode ?? 500;
    if (res.headersSent) return void res.end();
    res.status(status).type('text').send(status === 400 ? MALFORMED : status < 500 ? 'The request was refused.' : 'The hub could not answer this request.');
  });

  // ------------------------------------------------------------------------------------------
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 4321, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  policy = originPolicy(host, port);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    connections: () => io.sockets.sockets.size,
    close() {
      closing ??= (async () => {
        clearInterval(sweep);
        await Promise.all([...workbenches.values()].map((w) => w.close()));
        io.disconnectSockets(true);
        await new Promise<void>((resolve) => io.close(() => resolve()));
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      })();
      return closing;
    },
  };
}
