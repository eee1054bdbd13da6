/**
 * Lab 06's check plan. The unit of load is a socket.io connection from a browser: most say hello
 * with a name, move their cursor and leave; some leave before saying hello; some say hello and
 * leave without moving; and some are a second tab of a person already here, who must stay listed
 * when the first tab closes. Three people join before the load and stay through all of it: they
 * must still be listed and still see each other's cursors at the end (a "fix" that keeps only the
 * newest presences drops them). Some visitors lose their network instead of saying goodbye
 * ('transport close'); after the load, one client per ten connections stops answering pings and
 * must be dropped within pingInterval + pingTimeout, which the check sets short, its presence freed
 * like any other (a server that cleans up only some ways of leaving keeps them). The leaky server keeps each presence
 * (with its 8 KiB cursor trail, in arrayBuffers) in a Map keyed by socket.id forever; the fixture
 * counts the presences still alive after GC.
 */
import { io as connectClient, type Socket } from 'socket.io-client';
import { functionalCheck, LoadTally, type LabCheck, type LabContext, type LabRun } from '../../kit/check-plan.ts';
import { httpRequest, runCounted } from '../../kit/load/index.ts';
import { tunables } from './config.ts';

const { pingIntervalMs, pingTimeoutMs } = tunables.checked;
/** How long past pingInterval + pingTimeout a silent client may still be listed (a loaded machine is late). */
const DROP_SLACK_MS = 1500;
/** People connected before the load and kept through it. */
const LONG_LIVED = 3;
/**
 * Clients that go silent together after the load, per connection of the load: one in ten. Enough
 * that a server which cleans up every way of leaving but a ping timeout keeps a presence for more
 * than 5% of the connections, which the presence counter calls a leak.
 */
export const SILENT_PER_CONNECTION = 0.1;

const SECOND_TAB = 'a second tab of someone stays listed when their first tab closes';

interface PresenceList {
  online: Array<{ name: string; colour: string }>;
}

/** Connect one client (its own connection, no reconnection); `name` says hello and resolves with the colour. */
async function join(url: string, name: string | undefined, timeoutMs = 5000): Promise<{ socket: Socket; colour: string }> {
  const socket = connectClient(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: timeoutMs });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    if (name === undefined) return { socket, colour: '' };
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

/** How long after the other person got a cursor move the sender is watched for an echo of it. */
const ECHO_WAIT_MS = 300;

/** Resolves with the first 'cursor' `socket` receives from `name`, or undefined after `ms`. */
function cursorFrom(socket: Socket, name: string, ms: number): Promise<{ name?: string; x?: number; y?: number } | undefined> {
  return new Promise((resolve) => {
    const onCursor = (move: { name?: string }) => {
      if (move?.name !== name) return;
      socket.off('cursor', onCursor);
      clearTimeout(timer);
      resolve(move);
    };
    const timer = setTimeout(() => {
      socket.off('cursor', onCursor);
      resolve(undefined);
    }, ms);
    socket.on('cursor', onCursor);
  });
}

async function startRun(ctx: LabContext): Promise<LabRun> {
  const tally = new LoadTally();
  tally.promise(SECOND_TAB, (kept) => `${kept} times under load, a person's second tab stayed listed after the first one closed.`);
  const regulars: Array<{ name: string; socket: Socket }> = [];
  for (let i = 0; i < LONG_LIVED; i++) {
    const name = `regular-${i + 1}-${ctx.uniqueId()}`;
    regulars.push({ name, socket: (await join(ctx.url, name)).socket });
  }
  let sent = 0;

  const round = (n: number) =>
    runCounted({ count: n, concurrency: 6, signal: ctx.signal, onProgress: ctx.onProgress }, async () => {
      const number = sent++;
      const name = `visitor-${ctx.uniqueId()}`;
      switch (number % 6) {
        case 1: {
          // Leaves before saying hello.
          const { socket } = await join(ctx.url, undefined);
          socket.close();
          return;
        }
        case 3: {
          // Says hello and leaves without moving.
          const { socket } = await join(ctx.url, name);
          socket.close();
          return;
        }
        case 5: {
          // Two tabs of one person: the first closes, the second must still be listed.
          const first = await join(ctx.url, name);
          const second = await join(ctx.url, name);
          first.socket.close();
          await sleep(20);
          const names = await presentNames(ctx.url);
          tally.check(SECOND_TAB, names.includes(name), () => `${name} opened two tabs and closed one; GET /presence no longer listed ${name} although the other tab is still connected.`);
          second.socket.close();
          return;
        }
        default: {
          const { socket } = await join(ctx.url, name);
          socket.emit('cursor', { x: Math.random(), y: Math.random() });
          // One in three of these loses its network instead of saying goodbye: the server sees
          // 'transport close', not 'client namespace disconnect', and must clean up all the same.
          if (number % 3 === 0) socket.io.engine.close();
          else socket.close();
        }
      }
    });

  const verify = async () => {
    const clients: Socket[] = [];
    try {
      const regularsStay = await functionalCheck(`${LONG_LIVED} people connected since before the load are still listed and still see each other's cursors`, async () => {
        const names = await presentNames(ctx.url);
        const missing = regulars.filter((person) => !names.includes(person.name)).map((person) => person.name);
        if (missing.length > 0) return { passed: false, detail: `after ${sent} visitors came and went, GET /presence no longer lists ${missing.join(', ')}, who never left.` };
        const [a, b] = regulars;
        const received = cursorFrom(b!.socket, a!.name, 2000);
        a!.socket.emit('cursor', { x: 0.5, y: 0.5 });
        const move = await received;
        return {
          passed: move !== undefined,
          detail: move
            ? `after ${sent} visitors came and went, all ${LONG_LIVED} are listed and ${a!.name}'s cursor still reached ${b!.name}.`
            : `${a!.name} is listed, but the cursor it sent after the load never reached ${b!.name}.`,
        };
      });
      const ada = `ada-${ctx.uniqueId()}`;
      const bob = `bob-${ctx.uniqueId()}`;
      const gone = `gone-${ctx.uniqueId()}`;
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
      const cursor = await functionalCheck('a cursor move reaches the other people, and not its sender', async () => {
        const [a, b] = clients;
        if (!a || !b) return { passed: false, detail: 'two clients could not join, so no cursor could be sent.' };
        const received = cursorFrom(b, ada, 2000);
        const echoed = cursorFrom(a, ada, 2000);
        a.emit('cursor', { x: 0.25, y: 0.75 });
        const move = await received;
        const reached = move?.name === ada && move.x === 0.25 && move.y === 0.75;
        if (!reached) {
          return { passed: false, detail: `${ada} sent 'cursor' { x: 0.25, y: 0.75 }; ${bob} received ${move === undefined ? 'nothing within 2 s' : JSON.stringify(move)}.` };
        }
        // One broadcast sends to everyone at once: an echo to the sender comes with Bob's copy.
        const echo = await Promise.race([echoed, sleep(ECHO_WAIT_MS).then(() => undefined)]);
        return {
          passed: echo === undefined,
          detail:
            echo === undefined
              ? `${ada} sent 'cursor' { x: 0.25, y: 0.75 } and ${bob} received it with ${ada}'s name; ${ada} did not get her own move back.`
              : `${bob} received ${ada}'s cursor, but so did ${ada}, who sent it: a move goes to everyone else (socket.broadcast), not back to its sender, whose page would draw a second cursor of her own.`,
        };
      });
      const silentCount = Math.max(1, Math.ceil(sent * SILENT_PER_CONNECTION));
      const silent = await functionalCheck(`clients that stop answering pings are dropped within pingInterval + pingTimeout (${pingIntervalMs} + ${pingTimeoutMs} ms)`, async () => {
        // Laptops whose lid closed: many at once, so that a presence kept after a ping timeout
        // (cleanup for some ways of leaving only) shows in the presence counter after the load.
        const mutes = Array.from({ length: silentCount }, () => `silent-${ctx.uniqueId()}`);
        const joined = await Promise.allSettled(
          mutes.map(async (mute) => {
            const quiet = await join(ctx.url, mute);
            goSilent(quiet.socket);
            return quiet.socket;
          }),
        );
        for (const outcome of joined) if (outcome.status === 'fulfilled') clients.push(outcome.value);
        const refused = joined.find((outcome) => outcome.status === 'rejected');
        if (refused) throw refused.reason;
        const started = Date.now();
        const deadline = pingIntervalMs + pingTimeoutMs + DROP_SLACK_MS;
        const stillListed = (names: string[]) => mutes.filter((mute) => names.includes(mute));
        let names = await presentNames(ctx.url);
        while (stillListed(names).length > 0 && Date.now() - started < deadline) {
          await sleep(50);
          names = await presentNames(ctx.url);
        }
        const waited = Date.now() - started;
        const listed = stillListed(names);
        if (listed.length > 0) {
          return {
            passed: false,
            detail: `${listed.length} of ${mutes.length} clients that stopped answering pings (${listed[0]}, ...) were still listed ${waited} ms later; with LEAKLAB_PING_INTERVAL_MS=${pingIntervalMs} and LEAKLAB_PING_TIMEOUT_MS=${pingTimeoutMs} they should be gone within about ${pingIntervalMs + pingTimeoutMs} ms.`,
          };
        }
        const stayed = names.includes(ada) && names.includes(bob);
        return {
          passed: stayed,
          detail: stayed
            ? `${mutes.length} clients stopped answering pings and were dropped within ${waited} ms, while ${ada} and ${bob}, who answer, stayed.`
            : `the ${mutes.length} silent clients were dropped, but so were people who answer their pings: GET /presence listed [${names.join(', ')}].`,
        };
      });
      return [...tally.results(), regularsStay, presence, cursor, silent];
    } finally {
      for (const socket of clients) socket.close();
    }
  };

  return { round, verify, close: () => regulars.forEach((person) => person.socket.close()) };
}

const check: LabCheck = {
  env: tunables.checkedEnv(),
  about: tunables.about(),
  // A kept presence is 8 KiB of trail plus its entry; 45 connections a round make a 200 B leak
  // 9 KiB a round, against readings that wobble by a few KiB (up to ~100 KiB on a busy machine).
  roundSize: 45,
  // socket.io and V8 settle over the first ~400 connections (measured on Node 20 to 26: a one-off
  // 64 KiB buffer pool and 15-20 KiB of bookkeeping, then flat): on Node 26 a server keeping no
  // state read 194 ± 87 B per connection when the rounds started measuring after 90.
  warmupRounds: 8,
  series: 'heap objects + arrayBuffers',
  counters: [{ label: 'presences still alive after GC', read: (sample) => sample.gauges.presencesAlive ?? Number.NaN }],
  recognise: { event: 'upgrade' },
  start: startRun,
};

export default check;
