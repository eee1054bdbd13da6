/**
 * socket.io clients over loopback: the lab 04 workload (connect, disconnect) and a long-lived client
 * that records when each event arrived, for the tick-rate functional check.
 */
import { io, type Socket } from 'socket.io-client';
import { runCounted, type LoadResult, type Progress } from './pool.ts';

export interface SocketCycleOptions {
  url: string;
  count: number;
  concurrency?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: Progress;
}

/** A connected socket.io client that timestamps every `event` it receives. */
export interface SocketClient {
  readonly socket: Socket;
  /** Arrival times (ms, performance.now()) of each received event. */
  readonly arrivals: number[];
  /** The payloads received, in order. */
  readonly payloads: unknown[];
  close(): void;
}

function connect(url: string, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // One connection per client (forceNew), no reconnection: a closed client must stay closed.
    const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: timeoutMs });
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`socket.io did not connect within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
  });
}

/** Connect a client that records every `event` ('tick' by default). */
export async function openSocketClient(url: string, event = 'tick', timeoutMs = 5000): Promise<SocketClient> {
  const arrivals: number[] = [];
  const payloads: unknown[] = [];
  const socket = await connect(url, timeoutMs);
  socket.on(event, (payload: unknown) => {
    arrivals.push(performance.now());
    payloads.push(payload);
  });
  return { socket, arrivals, payloads, close: () => socket.close() };
}

/** The leak's unit of work: `count` dashboards that each connect and then disconnect. */
export async function runSocketCycles(options: SocketCycleOptions): Promise<LoadResult> {
  return runCounted({ count: options.count, concurrency: options.concurrency ?? 8, signal: options.signal, onProgress: options.onProgress }, async () => {
    const socket = await connect(options.url, options.timeoutMs ?? 5000);
    socket.close();
  });
}
