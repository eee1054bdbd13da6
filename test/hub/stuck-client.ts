/**
 * A client that sends and never reads: it opens a socket.io WebSocket by hand (HTTP upgrade, masked
 * frames), joins a lab over and over, and stops reading at once, as a frozen tab or a hostile script
 * would. Written with node:net so that nothing on our side drains what the hub sends. It answers the
 * hub's heartbeat blindly (a pong every few seconds), so only the hub's backlog limit can end it.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** A masked WebSocket text frame (clients must mask). */
function frame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const length = payload.length;
  const header =
    length < 126 ? Buffer.from([0x81, 0x80 | length]) : Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff]);
  for (let i = 0; i < length; i++) payload[i]! ^= mask[i % 4]!;
  return Buffer.concat([header, mask, payload]);
}

export interface StuckClient {
  socket: Socket;
  close(): void;
}

/**
 * Connect to the hub at `url` as one of its pages, send `requests` joins of `lab`, and never read
 * anything after the upgrade. Resolves once everything is sent; call close() when done.
 */
export async function stuckClient(url: string, lab: string, requests: number): Promise<StuckClient> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${hostname}:${port}\r\nOrigin: ${url}\r\n` +
      `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await new Promise<void>((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      // From here on nothing is read: the hub's answers pile up on its side.
      socket.pause();
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`the hub refused the WebSocket: ${head.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
  });
  // engine.io's heartbeat: the hub pings every 25 s and drops a client that does not answer.
  const pong = setInterval(() => socket.writable && socket.write(frame('3')), 5000);
  socket.once('close', () => clearInterval(pong));
  socket.write(frame('40')); // socket.io: connect to the main namespace
  for (let id = 0; id < requests; id++) {
    const more = socket.write(frame(`42${id}${JSON.stringify(['lab:join', { lab }])}`));
    if (!more) await new Promise((resolve) => socket.once('drain', resolve));
  }
  return {
    socket,
    close() {
      clearInterval(pong);
      socket.destroy();
    },
  };
}
