/**
 * HTTP workload over loopback: many requests with bounded concurrency on a keep-alive agent (so the
 * cost is the server's handler, not TCP handshakes), plus a single-request helper for functional checks.
 */
import http from 'node:http';
import { runCounted, type LoadResult, type Progress } from './pool.ts';

export interface HttpRequestSpec {
  method?: 'GET' | 'POST';
  path: string;
  /** Sent as JSON. */
  body?: unknown;
}

export interface HttpLoadOptions {
  baseUrl: string;
  count: number;
  /** Which request number `i` sends; use `i` for unique ids. */
  request: (i: number) => HttpRequestSpec;
  concurrency?: number;
  agent?: http.Agent;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: Progress;
}

export interface HttpAnswer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A keep-alive agent sized for `concurrency` sockets; destroy() it when the lab stops. */
export function keepAliveAgent(concurrency = 16): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: concurrency });
}

/** Send one request and read the whole answer. Rejects on network errors and on timeout. */
export function httpRequest(
  baseUrl: string,
  spec: HttpRequestSpec,
  /** `agent: false` opens a connection of its own for this request, as a new browser would. */
  options: { agent?: http.Agent | false; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const request = http.request(
      new URL(spec.path, baseUrl),
      {
        method: spec.method ?? 'GET',
        agent: options.agent,
        headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        signal: options.signal,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
        response.on('error', reject);
      },
    );
    request.setTimeout(options.timeoutMs ?? 5000, () => request.destroy(new Error(`no answer within ${options.timeoutMs ?? 5000} ms`)));
    request.on('error', reject);
    request.end(payload);
  });
}

/** An answer's body as JSON, or undefined when it is not JSON (a learner's server may answer anything). */
export function jsonBody<T>(body: string): T | undefined {
  try {
    return JSON.parse(body) as T;
  } catch {
    return undefined;
  }
}

/** Send `count` requests, at most `concurrency` at a time; never rejects, counts instead. */
export async function runHttpLoad(options: HttpLoadOptions): Promise<LoadResult> {
  const concurrency = options.concurrency ?? 16;
  return runCounted({ count: options.count, concurrency, signal: options.signal, onProgress: options.onProgress }, async (i) => {
    // No per-request signal: the pool stops starting requests on abort, and the few in flight
    // end within milliseconds (or at once, when the cancelled check kills the server).
    const answer = await httpRequest(options.baseUrl, options.request(i), { agent: options.agent, timeoutMs: options.timeoutMs });
    return answer.status;
  });
}
