/**
 * The hub: one local server that serves the built course (dist/) and runs the labs from the
 * browser. HTTP serves pages, lab metadata and snapshot downloads; everything that acts (start,
 * stop, load, force GC, check, snapshots) goes over socket.io, and live samples come back the same
 * way, to one room per lab.
 *
 * Safety: binds 127.0.0.1 by default; HTTP API and socket.io refuse other origins and foreign Host
 * headers (origin.ts); the browser names labs only by manifest id and snapshots only by generated
 * name (protocol.ts, snapshot-store.ts); every lab process is stopped by close(), and the kit's
 * orphan guard kills them if the hub dies.
 */
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Server as SocketServer, type Socket } from 'socket.io';
import type { SnapshotAnalysis } from '../kit/snapshots/index.ts';
import { analyseInWorker } from './analyse.ts';
import { collectNearLimitSnapshot, nearLimitWritten } from './near-limit.ts';
import { loadHubCourse, runCheck, runLoad, type HubLab } from './kit-bridge.ts';
import { LabSession, type SessionEvents, type Variant } from './lab-session.ts';
import { originPolicy, refusal } from './origin.ts';
import { LOAD_SIZES, RequestError, countOf, labOf, roleOf, variantOf } from './protocol.ts';
import { SnapshotStore } from './snapshot-store.ts';

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

/** Requests driven per step of "run until it dies": small enough for steady progress. */
const CRASH_RUN_STEP = 500;

export interface Hub {
  url: string;
  /** Stop every lab and check, close every socket, stop listening. */
  close(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '..');

/** An acknowledgement callback from socket.io: { ok, ... } or { ok: false, error }. */
type Ack = (answer: Record<string, unknown>) => void;

export async function startHub(options: HubOptions = {}): Promise<Hub> {
  const host = options.host ?? '127.0.0.1';
  const root = options.root ?? ROOT;
  const distDir = path.join(root, 'dist');
  const labs = loadHubCourse(root);
  const labIds = labs.map((lab) => lab.id);
  const labById = new Map(labs.map((lab) => [lab.id, lab]));
  const store = new SnapshotStore(path.join(root, 'output', 'snapshots'));

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const io = new SocketServer(httpServer, {
    // WebSocket only: a browser always sends Origin on a WebSocket handshake, so the check below is
    // never skipped (same-origin XHR polling may omit it).
    transports: ['websocket'],
    serveClient: false,
    allowRequest: (req: IncomingMessage, callback) => {
      const why = refusal(policy, { host: req.headers.host, origin: req.headers.origin }, { requireOrigin: true });
      callback(why ?? null, why === undefined);
    },
  });
  let policy = originPolicy(host, options.port ?? 4321); // replaced once the real port is known

  // ------------------------------------------------------------------------------------------
  // Lab sessions: one per lab and variant, created on first use.
  const sessions = new Map<string, LabSession>();
  const room = (lab: string) => `lab:${lab}`;
  const events: SessionEvents = {
    state: (state) => {
      io.to(room(state.lab)).emit('lab:state', state);
      if (state.status === 'crashed' && labById.get(state.lab)?.crashRun) void collectAfterCrash(state.lab, state.variant);
    },
    sample: (payload) => io.to(room(payload.lab)).emit('lab:sample', payload),
    gc: (payload) => io.to(room(payload.lab)).emit('lab:gc', payload),
  };
  function session(lab: HubLab, variant: Variant): LabSession {
    const key = `${lab.id}:${variant}`;
    let found = sessions.get(key);
    if (!found) {
      // A lab meant to die (lab 07) runs under its own small cap with a snapshot near the limit.
      const heapMb = lab.crashRun ? lab.crashRun.heapMb : options.labHeapMb;
      found = new LabSession({
        lab: lab.id,
        variant,
        entry: variant === 'learner' ? lab.serverFile : lab.solutionFile,
        file: path.relative(root, variant === 'learner' ? lab.serverFile : lab.solutionFile),
        events,
        ...(options.sampleEveryMs ? { sampleEveryMs: options.sampleEveryMs } : {}),
        ...(heapMb ? { heapMb } : {}),
        ...(lab.crashRun ? { nearLimitDir: nearLimitDirOf(lab.id, variant), blockedAfterMs: 120_000 } : {}),
      });
      sessions.set(key, found);
    }
    return found;
  }
  const sessionsOf = (lab: string) => [...sessions.values()].filter((s) => s.lab === lab);

  // One load run and one check per lab at a time; all cancelled when the hub closes.
  const busy = new Map<string, AbortController>();
  const baselines = new Map<string, string>(); // `${lab}:${variant}` → snapshot name
  const analyses = new Map<string, SnapshotAnalysis & { baseline: string; later: string; variant: Variant; nearLimit?: boolean }>();
  const nearLimit = new Map<string, string>(); // `${lab}:${variant}` → the last near-limit snapshot's name
  const collecting = new Map<string, Promise<string | undefined>>();

  /** V8's diagnostic folder for one lab session: inside output/snapshots, so nothing lands elsewhere. */
  function nearLimitDirOf(lab: string, variant: Variant): string {
    return path.join(store.dir, 'near-limit', `${lab}-${variant}`);
  }

  /**
   * After a crash, move the snapshot V8 wrote near the heap limit into the store and tell the page.
   * Runs once at a time per session (a crash can be reported twice: the failure, then the exit code).
   */
  function collectAfterCrash(lab: string, variant: Variant): Promise<string | undefined> {
    const key = `${lab}:${variant}`;
    const previous = collecting.get(key) ?? Promise.resolve(undefined);
    const next = previous.then(async () => {
      const name = await collectNearLimitSnapshot(nearLimitDirOf(lab, variant), store, lab, variant).catch(() => undefined);
      if (!name) return nearLimit.get(key);
      nearLimit.set(key, name);
      await store.prune(new Set([...baselines.values(), ...nearLimit.values()]));
      io.to(room(lab)).emit('lab:snapshot', { lab, variant, role: 'near-limit', name });
      return name;
    });
    collecting.set(key, next);
    return next;
  }

  async function labState(lab: HubLab) {
    return {
      lab: lab.id,
      sessions: (['learner', 'solution'] as const).map((v) => sessions.get(`${lab.id}:${v}`)?.state() ?? session(lab, v).state()),
      history: sessionsOf(lab.id).map((s) => ({ variant: s.variant, samples: s.samples.toArray(), gc: s.gcEvents.toArray() })),
      busy: [...busy.keys()].filter((key) => key.startsWith(`${lab.id}:`)).map((key) => key.split(':')[1]),
      snapshots: (await store.list()).filter((s) => s.name.startsWith(`${lab.id}-`)),
      baselines: Object.fromEntries(['learner', 'solution'].map((v) => [v, baselines.get(`${lab.id}:${v}`) ?? null])),
      analysis: analyses.get(lab.id) ?? null,
      crashRun: lab.crashRun ?? null,
      nearLimit: Object.fromEntries(['learner', 'solution'].map((v) => [v, nearLimit.get(`${lab.id}:${v}`) ?? null])),
    };
  }

  /** Run `work` as the lab's single `kind` job; refuses a second one while the first runs. */
  async function exclusive<T>(lab: string, kind: 'load' | 'check' | 'snapshot', work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const key = `${lab}:${kind}`;
    if (busy.has(key)) throw new RequestError(`a ${kind} is already running for ${lab}`);
    const controller = new AbortController();
    // The load drivers add one abort listener per operation in flight (up to their concurrency).
    setMaxListeners(64, controller.signal);
    busy.set(key, controller);
    io.to(room(lab)).emit('lab:busy', { lab, kind, busy: true });
    try {
      return await work(controller.signal);
    } finally {
      busy.delete(key);
      io.to(room(lab)).emit('lab:busy', { lab, kind, busy: false });
    }
  }

  // ------------------------------------------------------------------------------------------
  // socket.io: one handler per action; each validates its payload and answers through the ack.
  const actions: Record<string, (payload: unknown, socket: Socket) => Promise<Record<string, unknown>>> = {
    'lab:join': async (payload, socket) => {
      const lab = labById.get(labOf(payload, labIds))!;
      await socket.join(room(lab.id));
      return { state: await labState(lab) };
    },
    'lab:snapshots': async (payload) => {
      const lab = labOf(payload, labIds);
      return { snapshots: (await store.list()).filter((s) => s.name.startsWith(`${lab}-`)) };
    },
    'lab:start': async (payload) => {
      const lab = labById.get(labOf(payload, labIds))!;
      const s = session(lab, variantOf(payload));
      // A start empties V8's diagnostic folder: let a crash's snapshot be moved to the store first.
      await collecting.get(`${lab.id}:${s.variant}`);
      await s.start();
      return { state: s.state() };
    },
    'lab:stop': async (payload) => {
      const lab = labById.get(labOf(payload, labIds))!;
      const s = session(lab, variantOf(payload));
      await s.stop();
      return { state: s.state() };
    },
    'lab:compare': async (payload) => {
      const lab = labById.get(labOf(payload, labIds))!;
      await Promise.all([collecting.get(`${lab.id}:learner`), collecting.get(`${lab.id}:solution`)]);
      await Promise.all([session(lab, 'learner').start(), session(lab, 'solution').start()]);
      return { states: [session(lab, 'learner').state(), session(lab, 'solution').state()] };
    },
    'lab:gc': async (payload) => {
      const lab = labOf(payload, labIds);
      const samples = await Promise.all(sessionsOf(lab).map((s) => s.forceGc().catch(() => undefined)));
      return { forced: samples.filter(Boolean).length };
    },
    'lab:load': async (payload) => {
      const lab = labById.get(labOf(payload, labIds))!;
      const count = countOf(payload);
      const targets = sessionsOf(lab.id).filter((s) => s.running());
      if (targets.length === 0) throw new RequestError('start the lab first: there is no running server to load');
      return exclusive(lab.id, 'load', async (signal) => {
        // The same workload against every running variant at once: the comparison is fair.
        const results = await Promise.all(
          targets.map((s) =>
            runLoad(lab, s.running()!, count, signal, (done) =>
              io.to(room(lab.id)).emit('lab:load-progress', { lab: lab.id, variant: s.variant, done, total: count }),
            ).then(
              (done) => ({ variant: s.variant, done }),
              (error: Error) => ({ variant: s.variant, done: 0, error: error.message }),
            ),
          ),
        );
        return { results, operation: lab.operation };
      });
    },
    // Drive the lab's own workload without pause until every running variant has died of its heap
    // cap (or a time limit passes: a fixed lab does not die). Progress goes out after every step.
    'lab:run-to-crash': async (payload) => {
      const lab = labById.get(labOf(payload, labIds))!;
      const crashRun = lab.crashRun;
      if (!crashRun) throw new RequestError(`${lab.id} is not a lab to run until it dies: use the load buttons`);
      const targets = sessionsOf(lab.id).filter((s) => s.running());
      if (targets.length === 0) throw new RequestError('start the lab first: there is no running server to load');
      return exclusive(lab.id, 'load', async (signal) => {
        const started = Date.now();
        const limitMs = crashRun.aboutSeconds * 4 * 1000;
        const results = await Promise.all(
          targets.map(async (s) => {
            const child = s.running()!;
            let done = 0;
            let snapshotWritten = false;
            const progress = (extra = 0) =>
              io.to(room(lab.id)).emit('lab:load-progress', {
                lab: lab.id,
                variant: s.variant,
                done: done + extra,
                total: 0,
                untilCrash: true,
                elapsedMs: Date.now() - started,
                aboutSeconds: crashRun.aboutSeconds,
                snapshotWritten,
              });
            while (s.running() === child && !signal.aborted && Date.now() - started < limitMs) {
              // A step that fails because the lab died mid-way ends the loop on the next test.
              done += await runLoad(lab, child, CRASH_RUN_STEP, signal, () => undefined).catch(() => 0);
              // V8 writes the snapshot first, then the process goes on collecting until V8 gives up.
              snapshotWritten ||= await nearLimitWritten(nearLimitDirOf(lab.id, s.variant));
              progress();
            }
            const state = s.state();
            const died = s.running() !== child && state.status === 'crashed';
            const snapshot = died ? await collecting.get(`${lab.id}:${s.variant}`) : undefined;
            return {
              variant: s.variant,
              done,
              seconds: Math.round((Date.now() - started) / 1000),
              outcome: died ? (state.exitReason ?? 'crashed') : signal.aborted || s.running() !== child ? 'stopped' : 'still running',
              ...(state.reason && died ? { reason: state.reason } : {}),
              ...(snapshot ? { nearLimitSnapshot: snapshot } : {}),
            };
          }),
        );
        return { results, operation: lab.operation };
      });
    },
    // Compare the snapshot V8 wrote near the heap limit with the learner's baseline, or, if there is
    // none, with a fresh snapshot of the lab restarted (nothing has leaked yet in a fresh process).
    'lab:compare-near-limit': async (payload) => {
      const lab = labById.get(labOf(payload, labIds))!;
      const variant = variantOf(payload);
      const key = `${lab.id}:${variant}`;
      await collecting.get(key);
      const later = nearLimit.get(key);
      const laterPath = later ? await store.resolve(later) : undefined;
      if (!later || !laterPath) throw new RequestError('there is no snapshot near the heap limit yet: run the lab until it dies first');
      return exclusive(lab.id, 'snapshot', async (signal) => {
        let baseline = baselines.get(key);
        let baselinePath = baseline ? await store.resolve(baseline) : undefined;
        if (!baseline || !baselinePath) {
          const s = session(lab, variant);
          await s.start();
          const child = s.running();
          if (!child) throw new RequestError(`the lab could not be restarted for a fresh baseline: ${s.state().reason ?? 'unknown reason'}`);
          const fresh = await store.allocate(lab.id, variant);
          await child.writeSnapshot(fresh.path);
          baseline = fresh.name;
          baselinePath = fresh.path;
          baselines.set(key, baseline);
          await store.prune(new Set([...baselines.values(), ...nearLimit.values()]));
          io.to(room(lab.id)).emit('lab:snapshot', { lab: lab.id, variant, role: 'baseline', name: baseline });
        }
        const entry = variant === 'learner' ? lab.serverFile : lab.solutionFile;
        const analysis = await analyseInWorker(
          {
            beforePath: baselinePath,
            afterPath: laterPath,
            options: { rows: 15, sources: [{ file: path.relative(root, entry), text: await readFile(entry, 'utf8') }] },
          },
          signal,
        );
        const result = { ...analysis, baseline, later, variant, nearLimit: true };
        analyses.set(lab.id, result);
        io.to(room(lab.id)).emit('lab:analysis', { lab: lab.id, analysis: result });
        return { analysis: result };
      });
    },
    'lab:check': async (payload) => {
      const lab = labById.get(labOf(payload, labIds))!;
      const variant = variantOf(payload);
      return exclusive(lab.id, 'check', async (signal) => {
        io.to(room(lab.id)).emit('lab:check-start', { lab: lab.id, variant });
        const verdict = await runCheck(lab, variant, signal, (round) =>
          io.to(room(lab.id)).emit('lab:check-round', { lab: lab.id, variant, round }),
        );
        io.to(room(lab.id)).emit('lab:verdict', { lab: lab.id, variant, verdict });
        return { verdict };
      });
    },
    'lab:snapshot': async (payload) => {
      const lab = labById.get(labOf(payload, labIds))!;
      const variant = variantOf(payload);
      const role = roleOf(payload);
      const child = sessions.get(`${lab.id}:${variant}`)?.running();
      if (!child) throw new RequestError('start the lab first: snapshots are taken of a running server');
      const baselineKey = `${lab.id}:${variant}`;
      if (role === 'later' && !baselines.has(baselineKey)) throw new RequestError('take a baseline snapshot first');
      return exclusive(lab.id, 'snapshot', async (signal) => {
        const { name, path: file } = await store.allocate(lab.id, variant);
        // A snapshot pauses the lab for as long as it takes to write (FACTS #16).
        await child.writeSnapshot(file);
        const keep = new Set([...baselines.values(), ...nearLimit.values()]);
        await store.prune(keep);
        if (role === 'baseline') {
          baselines.set(baselineKey, name);
          analyses.delete(lab.id);
          io.to(room(lab.id)).emit('lab:snapshot', { lab: lab.id, variant, role, name });
          return { name };
        }
        const baseline = baselines.get(baselineKey)!;
        const baselinePath = await store.resolve(baseline);
        if (!baselinePath) throw new RequestError('the baseline snapshot was deleted: take a new baseline');
        const entry = variant === 'learner' ? lab.serverFile : lab.solutionFile;
        const analysis = await analyseInWorker(
          {
            beforePath: baselinePath,
            afterPath: file,
            options: { rows: 15, sources: [{ file: path.relative(root, entry), text: await readFile(entry, 'utf8') }] },
          },
          signal,
        );
        const result = { ...analysis, baseline, later: name, variant };
        analyses.set(lab.id, result);
        io.to(room(lab.id)).emit('lab:snapshot', { lab: lab.id, variant, role, name });
        io.to(room(lab.id)).emit('lab:analysis', { lab: lab.id, analysis: result });
        return { name, analysis: result };
      });
    },
  };

  io.on('connection', (socket) => {
    for (const [event, handle] of Object.entries(actions)) {
      socket.on(event, (payload: unknown, ack?: Ack) => {
        const reply = typeof ack === 'function' ? ack : () => undefined;
        handle(payload, socket).then(
          (answer) => reply({ ok: true, ...answer }),
          (error: Error) => reply({ ok: false, error: error instanceof RequestError ? error.message : error.message || String(error) }),
        );
      });
    }
  });

  // ------------------------------------------------------------------------------------------
  // HTTP: the API first (origin-checked), then the built course.
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
    res.json({
      hub: 'leaklab',
      loadSizes: LOAD_SIZES,
      labs: labs.map((lab) => ({
        id: lab.id,
        number: lab.number,
        title: lab.title,
        operation: lab.operation,
        labPage: lab.labPage,
        ...(lab.crashRun ? { crashRun: lab.crashRun } : {}),
      })),
    });
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
    const lab = labById.get(req.params.lab);
    const variant = req.params.variant;
    if (!lab || (variant !== 'learner' && variant !== 'solution')) {
      res.status(404).json({ error: 'unknown lab or variant' });
      return;
    }
    const file = variant === 'learner' ? lab.serverFile : lab.solutionFile;
    const lines = (await readFile(file, 'utf8')).split('\n');
    const escape = (s: string) => s.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
    res.type('html').send(
      `<!doctype html><meta charset="utf-8"><title>${escape(path.relative(root, file))}</title>` +
        `<style>body{font:14px/1.45 ui-monospace,monospace;margin:1rem}span{display:block;white-space:pre}span:target{background:#fde68a}i{color:#888;display:inline-block;width:3.5em;font-style:normal}</style>` +
        `<h1 style="font-size:1rem">${escape(path.relative(root, file))}</h1>` +
        lines.map((line, i) => `<span id="L${i + 1}"><i>${i + 1}</i>${escape(line)}</span>`).join(''),
    );
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
    close() {
      closing ??= (async () => {
        for (const controller of busy.values()) controller.abort();
        await Promise.all([...sessions.values()].map((s) => s.stop().catch(() => undefined)));
        sessions.clear();
        io.disconnectSockets(true);
        await new Promise<void>((resolve) => io.close(() => resolve()));
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      })();
      return closing;
    },
  };
}
