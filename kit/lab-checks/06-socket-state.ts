/**
 * Lab 06, socket state: browsers connect with socket.io, say 'hello' with a name, move their cursor
 * once and leave. The leaky server keeps each presence (with its 8 KB cursor trail) in a Map keyed
 * by socket.id forever. The functional checks also prove that a client whose network vanished is
 * dropped within pingInterval + pingTimeout, which the checker sets short.
 */
import { io as connectClient, type Socket } from 'socket.io-client';
import { httpRequest, runCounted, type LoadResult } from '../load/index.ts';
import { functionalCheck, type LabCheck } from './lab-check.ts';

const PING_INTERVAL_MS = 250;
const PING_TIMEOUT_MS = 250;
/** How long past pingInterval + pingTimeout a silent client may still be listed (a loaded machine is late). */
const DROP_SLACK_MS = 1500;

interface PresenceList {
  online: Array<{ name: string; colour: string }>;
}

/** Connect one client (its own connection, no reconnection) and say hello; resolves with its colour. */
async function join(url: string, name: string, timeoutMs = 5000): Promise<{ socket: Socket; colour: string }> {
  const socket = connectClient(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: timeoutMs });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const answer = (await socket.timeout(timeoutMs).emitWithAck('hello', name)) as { colour?: unknown };
    return { socket, colour: String(answer?.colour ?? '') };
  } catch (error) {
    socket.close();
    throw error;
  }
}

/**
 * Make a connected client behave like a laptop whose lid closed: it keeps its TCP connection but
 * never answers the server's pings again (engine.io answers a ping from `_sendPacket('pong')`).
 */
function goSilent(socket: Socket): void {
  const engine = socket.io.engine as unknown as { _sendPacket(type: string, ...rest: unknown[]): void };
  const send = engine._sendPacket.bind(engine);
  engine._sendPacket = (type, ...rest) => {
    if (type !== 'pong') send(type, ...rest);
  };
}

async function presentNames(url: string): Promise<string[]> {
  const answer = await httpRequest(url, { path: '/presence' });
  return (JSON.parse(answer.body) as PresenceList).online.map((person) => person.name);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const socketStateCheck: LabCheck = {
  labId: '06-socket-state',
  operation: 'socket.io connection',
  env: { LEAKLAB_PING_INTERVAL_MS: String(PING_INTERVAL_MS), LEAKLAB_PING_TIMEOUT_MS: String(PING_TIMEOUT_MS) },
  roundSize: 30,
  warmupRounds: 2,
  measuredRounds: 4,
  series: 'heapUsed + arrayBuffers',
  mechanism: [],
  runRound(ctx, n): Promise<LoadResult> {
    return runCounted({ count: n, concurrency: 6, signal: ctx.signal, onProgress: ctx.onProgress }, async () => {
      const { socket } = await join(ctx.url, `visitor-${ctx.uniqueId()}`);
      socket.emit('cursor', { x: Math.random(), y: Math.random() });
      socket.close();
    });
  },
  async functional(ctx) {
    const ada = `ada-${ctx.uniqueId()}`;
    const bob = `bob-${ctx.uniqueId()}`;
    const gone = `gone-${ctx.uniqueId()}`;
    const clients: Socket[] = [];
    try {
      const presence = await functionalCheck('GET /presence lists exactly the people connected', async () => {
        const left = await join(ctx.url, gone);
        left.socket.close();
        const a = await join(ctx.url, ada);
        clients.push(a.socket);
        const b = await join(ctx.url, bob);
        clients.push(b.socket);
        await sleep(50); // the departure is processed asynchronously
        const names = await presentNames(ctx.url);
        const passed = names.includes(ada) && names.includes(bob) && !names.includes(gone);
        return {
          passed,
          detail: passed
            ? `${ada} and ${bob} said hello and are listed; ${gone}, who left, is not.`
            : `with ${ada} and ${bob} connected and ${gone} gone, GET /presence listed [${names.join(', ')}].`,
        };
      });
      const cursor = await functionalCheck('a cursor move reaches the other people', async () => {
        const [a, b] = clients;
        if (!a || !b) return { passed: false, detail: 'two clients could not join, so no cursor could be sent.' };
        const received = new Promise<unknown>((resolve) => b.once('cursor', resolve));
        a.emit('cursor', { x: 0.25, y: 0.75 });
        const move = (await Promise.race([received, sleep(2000).then(() => undefined)])) as { name?: string; x?: number; y?: number } | undefined;
        const passed = move?.name === ada && move.x === 0.25 && move.y === 0.75;
        return {
          passed,
          detail: passed
            ? `${ada} sent 'cursor' { x: 0.25, y: 0.75 } and ${bob} received it with ${ada}'s name.`
            : `${ada} sent 'cursor' { x: 0.25, y: 0.75 }; ${bob} received ${move === undefined ? 'nothing within 2 s' : JSON.stringify(move)}.`,
        };
      });
      const silent = await functionalCheck(`a client that stops answering pings is dropped within pingInterval + pingTimeout (${PING_INTERVAL_MS} + ${PING_TIMEOUT_MS} ms)`, async () => {
        const mute = `silent-${ctx.uniqueId()}`;
        const quiet = await join(ctx.url, mute);
        clients.push(quiet.socket);
        goSilent(quiet.socket);
        const started = Date.now();
        const deadline = PING_INTERVAL_MS + PING_TIMEOUT_MS + DROP_SLACK_MS;
        let names = await presentNames(ctx.url);
        while (names.includes(mute) && Date.now() - started < deadline) {
          await sleep(50);
          names = await presentNames(ctx.url);
        }
        const waited = Date.now() - started;
        if (names.includes(mute)) {
          return { passed: false, detail: `${mute} stopped answering pings and was still listed ${waited} ms later; with LEAKLAB_PING_INTERVAL_MS=${PING_INTERVAL_MS} and LEAKLAB_PING_TIMEOUT_MS=${PING_TIMEOUT_MS} it should be gone within about ${PING_INTERVAL_MS + PING_TIMEOUT_MS} ms.` };
        }
        const stayed = names.includes(ada) && names.includes(bob);
        return {
          passed: stayed,
          detail: stayed
            ? `${mute} stopped answering pings and was dropped after ${waited} ms, while ${ada} and ${bob}, who answer, stayed.`
            : `${mute} was dropped, but so were people who answer their pings: GET /presence listed [${names.join(', ')}].`,
        };
      });
      return [presence, cursor, silent];
    } finally {
      for (const socket of clients) socket.close();
    }
  },
};
