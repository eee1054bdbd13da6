/**
 * Slow consumers: a page that stops reading (a frozen tab, a script that sends and never reads)
 * makes the hub queue every reply and every live sample for it, in the engine's write buffer and
 * in the socket's, without end. The hub measures each socket's backlog and cuts off a client that
 * has fallen too far behind, so what one client holds back is bounded.
 */
import type { Socket } from 'socket.io';

/** Packets waiting in the engine (not yet handed to the WebSocket): ~2 minutes of live samples. */
export const MAX_QUEUED_PACKETS = 1000;
/** Bytes queued for a client, in the engine and in its WebSocket, not yet taken by its connection. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** The parts of engine.io and ws the backlog is read from (not in their public types). */
interface EngineInternals {
  writeBuffer?: { data?: unknown }[];
  transport?: { socket?: { bufferedAmount?: number; terminate?: () => void } };
}

/** How far behind a client is: packets queued in the engine, and bytes there and in its WebSocket. */
export function backlogOf(socket: Socket): { packets: number; bytes: number } {
  const conn = socket.conn as unknown as EngineInternals;
  const queued = conn.writeBuffer ?? [];
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of queued) {
    const data = packet.data;
    bytes += typeof data === 'string' ? data.length : data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? data.byteLength : 0;
  }
  return { packets: queued.length, bytes };
}

export function fallenBehind(socket: Socket): boolean {
  const { packets, bytes } = backlogOf(socket);
  return packets > MAX_QUEUED_PACKETS || bytes > MAX_BUFFERED_BYTES;
}

/**
 * Disconnect at once and drop what was queued. A plain close would send a close frame and wait up
 * to 30 s for the client to answer, holding the buffers meanwhile; this client does not answer.
 */
export function cutOff(socket: Socket): void {
  const conn = socket.conn as unknown as EngineInternals;
  socket.disconnect(true);
  conn.transport?.socket?.terminate?.();
}
