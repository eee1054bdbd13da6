/**
 * Who may talk to the hub. The hub can start processes and write files, so a web page from another
 * site must not be able to drive it through the learner's browser. Two checks:
 * - the Origin header (sent by browsers on cross-site requests and on every WebSocket) must be the
 *   hub's own origin;
 * - the Host header must name the hub as it was bound, which defeats DNS rebinding (an attacker's
 *   domain re-pointed at 127.0.0.1 would arrive with the attacker's host name).
 * Pure: decisions on header values; server.ts wires them into Express and socket.io.
 */

export interface OriginPolicy {
  /** Origins allowed to call the API and open a socket, e.g. 'http://127.0.0.1:4321'. */
  origins: ReadonlySet<string>;
  /** Host header values allowed, e.g. '127.0.0.1:4321'. */
  hosts: ReadonlySet<string>;
}

/** The policy for a hub bound to host:port. A loopback hub also answers to `localhost`. */
export function originPolicy(host: string, port: number): OriginPolicy {
  const names = new Set([host]);
  if (host === '127.0.0.1' || host === 'localhost' || host === '::1') {
    names.add('127.0.0.1');
    names.add('localhost');
  }
  const hosts = new Set<string>();
  const origins = new Set<string>();
  for (const name of names) {
    const hostPort = name.includes(':') ? `[${name}]:${port}` : `${name}:${port}`;
    hosts.add(hostPort);
    origins.add(`http://${hostPort}`);
  }
  return { origins, hosts };
}

/** Why a request is refused, or undefined when it may pass. */
export function refusal(
  policy: OriginPolicy,
  headers: { host?: string | undefined; origin?: string | undefined },
  { requireOrigin }: { requireOrigin: boolean },
): string | undefined {
  if (!headers.host || !policy.hosts.has(headers.host.toLowerCase())) {
    return `host ${JSON.stringify(headers.host ?? '')} is not this hub`;
  }
  if (headers.origin === undefined) {
    return requireOrigin ? 'no Origin header: only the hub’s own pages may connect' : undefined;
  }
  if (!policy.origins.has(headers.origin.toLowerCase())) {
    return `origin ${JSON.stringify(headers.origin)} is not this hub`;
  }
  return undefined;
}
