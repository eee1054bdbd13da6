/**
 * A known leak, injected beside a server without editing it: loaded with `--import` into a lab
 * process by the bench's sensitivity pass, it keeps LEAKLAB_RETAIN_BYTES bytes of JS heap for every
 * operation the server handles, recognised as the lab's check plan says (an HTTP 'request' or a
 * websocket 'upgrade' on the server, optionally only one method and path).
 *
 * What it keeps is a plain array of small integers: a 32-byte array object, a 16-byte elements
 * header and 8 bytes per element, plus the slot that holds it. Sizes below 64 bytes are rounded
 * up to one element.
 */
import http from 'node:http';

const bytes = Number(process.env.LEAKLAB_RETAIN_BYTES ?? 0);
const event = process.env.LEAKLAB_RETAIN_ON === 'upgrade' ? 'upgrade' : 'request';
const method = process.env.LEAKLAB_RETAIN_METHOD || undefined;
const pathPattern = process.env.LEAKLAB_RETAIN_PATH ? new RegExp(process.env.LEAKLAB_RETAIN_PATH) : undefined;

/** Array object, elements header and the slot in `kept`. */
const OVERHEAD = 32 + 16 + 8;
const elements = Math.max(1, Math.round((bytes - OVERHEAD) / 8));
const kept: number[][] = [];
(globalThis as { leaklabRetained?: unknown }).leaklabRetained = kept;

if (bytes > 0) {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitAndRetain(this: http.Server, name: string | symbol, ...args: unknown[]) {
    if (name === event) {
      const request = args[0] as http.IncomingMessage;
      if ((!method || request.method === method) && (!pathPattern || pathPattern.test(request.url ?? ''))) kept.push(new Array<number>(elements).fill(kept.length & 0xff));
    }
    return (emit as (this: http.Server, name: string | symbol, ...rest: unknown[]) => boolean).call(this, name, ...args);
  } as typeof http.Server.prototype.emit;
}
