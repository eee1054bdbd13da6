/**
 * Can a unit test catch a small leak? Two request handlers do the same work; one also keeps a line of
 * text per request in a module-level list, as a forgotten audit log would (a few hundred bytes of
 * heap). lib/retained-per-call.ts measures each three times: the leaky one always comes out at its few
 * hundred bytes per call and the clean one near zero, so a threshold between them (64 bytes per call
 * here) fails the first and passes the second every time, without any timing.
 *
 *   node --import tsx scripts/experiments/leak-regression.ts
 */
import { ensureFlags, report } from './lib/harness.ts';
import { retainedPerCall } from './lib/retained-per-call.ts';

const REPEATS = 3;
const THRESHOLD_BYTES_PER_CALL = 64;

interface Request {
  user: string;
  path: string;
}

/** What the leaky handler keeps, one line per request. */
const auditLog: string[] = [];

/** Builds an answer: a little garbage per request, as any handler makes. */
function answer(request: Request): string {
  return JSON.stringify({ ok: true, path: request.path, items: [1, 2, 3].map((n) => n * 2) });
}

function cleanHandler(request: Request): string {
  return answer(request);
}

function leakyHandler(request: Request): string {
  auditLog.push(`${new Date().toISOString()} ${request.user} ${request.path}`);
  return answer(request);
}

let n = 0;
const nextRequest = (): Request => ({ user: `user-${n % 1000}`, path: `/orders/${n++}` });

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  const measure = async (handler: (request: Request) => string) => {
    const results: number[] = [];
    for (let i = 0; i < REPEATS; i++) results.push((await retainedPerCall(() => handler(nextRequest()), { callsPerRound: 1_000, rounds: 5, warmUp: 1_000 })).bytesPerCall);
    return results;
  };
  const leaky = await measure(leakyHandler);
  const clean = await measure(cleanHandler);
  report(
    {
      thresholdBytesPerCall: THRESHOLD_BYTES_PER_CALL,
      leakyBytesPerCall: leaky,
      cleanBytesPerCall: clean,
      leakyCaughtEveryTime: leaky.every((bytes) => bytes > THRESHOLD_BYTES_PER_CALL),
      cleanPassedEveryTime: clean.every((bytes) => bytes < THRESHOLD_BYTES_PER_CALL),
      auditLogEntries: auditLog.length,
    },
    `bytes per call: leaky ${leaky.join(', ')}; clean ${clean.join(', ')}`,
  );
}
