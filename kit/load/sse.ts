/**
 * Server-Sent Events clients over loopback: the lab 02 workload (connect, read the first bytes,
 * disconnect) and long-lived clients that collect events for the functional check.
 */
import http from 'node:http';
import { runCounted, type LoadResult, type Progress } from './pool.ts';

export interface SseCycleOptions {
  baseUrl: string;
  path?: string;
  count: number;
  concurrency?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: Progress;
}

/** A connected SSE client that keeps every `data:` payload it receives. */
export interface SseClient {
  /** Each `data:` line's payload, in order. */
  readonly events: string[];
  /** Resolves with true once `events.length >= n`, false after timeoutMs. */
  waitForEvents(n: number, timeoutMs: number): Promise<boolean>;
  close(): void;
}

/** Open one SSE stream; resolves once the server sent its first bytes (the `: connected` comment). */
export function openSseClient(baseUrl: string, path = '/events', timeoutMs = 5000): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const events: string[] = [];
    const waiters: Array<() => void> = [];
    let buffer = '';
    // agent: false gives each stream its own socket, as separate browser tabs would have.
    const request = http.get(new URL(path, baseUrl), { agent: false, headers: { accept: 'text/event-stream' } }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`GET ${path} answered ${response.statusCode}`));
        return;
      }
      response.setEncoding('utf8');
      let opened = false;
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart());
          if (data.length > 0) events.push(data.join('\n'));
        }
        for (const wake of waiters.splice(0)) wake();
        if (!opened) {
          opened = true;
          clearTimeout(timer);
          resolve(client);
        }
      });
      response.on('error', () => undefined);
    });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`GET ${path} sent nothing within ${timeoutMs} ms`));
    }, timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const client: SseClient = {
      events,
      waitForEvents(n, waitMs) {
        return new Promise((done) => {
          const deadline = setTimeout(() => done(events.length >= n), waitMs);
          const check = () => {
            if (events.length >= n) {
              clearTimeout(deadline);
              done(true);
            } else waiters.push(check);
          };
          check();
        });
      },
      close() {
        clearTimeout(timer);
        request.destroy();
      },
    };
  });
}

/**
 * A client that leaves before the first byte: it sends GET `path` and drops the connection a few
 * milliseconds later, before reading anything (a tab closed while the page was still loading).
 * Resolves once its socket is closed.
 */
export function leaveBeforeFirstByte(baseUrl: string, path = '/events', afterMs = 3): Promise<void> {
  return new Promise((resolve) => {
    const request = http.get(new URL(path, baseUrl), { agent: false, headers: { accept: 'text/event-stream' } });
    request.on('error', () => undefined);
    request.on('response', (response) => response.resume());
    request.on('socket', (socket) => {
      socket.once('connect', () => setTimeout(() => request.destroy(), afterMs));
      socket.once('close', () => resolve());
    });
  });
}

/** The leak's unit of work: `count` clients that each connect, get the first bytes, and leave. */
export async function runSseCycles(options: SseCycleOptions): Promise<LoadResult> {
  return runCounted({ count: options.count, concurrency: options.concurrency ?? 16, signal: options.signal, onProgress: options.onProgress }, async () => {
    const client = await openSseClient(options.baseUrl, options.path, options.timeoutMs);
    client.close();
  });
}
